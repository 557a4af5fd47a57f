UPDATE leases
SET    expires_at = SYSDATETIMEOFFSET()
WHERE  name = @name
       AND expires_at <= SYSDATETIMEOFFSET();
