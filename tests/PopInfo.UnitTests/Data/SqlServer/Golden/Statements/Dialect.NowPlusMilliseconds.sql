UPDATE leases
SET    expires_at = DATEADD(millisecond, @ttl, SYSDATETIMEOFFSET())
WHERE  name = @name;
