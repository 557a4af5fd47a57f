DECLARE @granted AS INT;

EXECUTE @granted = sp_getapplock @Resource = @name, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1;

IF @granted < 0
    THROW 51000, 'sp_getapplock refused the lock', 1;
