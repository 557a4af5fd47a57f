EXECUTE sp_releaseapplock @Resource = @name, @LockOwner = 'Session';
