DECLARE @granted AS INT;

EXECUTE @granted = sp_getapplock @Resource = @name, @LockMode = @mode, @LockOwner = 'Transaction', @LockTimeout = -1;

IF @granted < 0
    THROW 51000, 'sp_getapplock refused the lock', 1;
