DECLARE @granted AS INT;

EXECUTE @granted = sp_getapplock @Resource = @name, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0;

SELECT CAST (CASE WHEN @granted >= 0 THEN 1 ELSE 0 END AS BIT);
