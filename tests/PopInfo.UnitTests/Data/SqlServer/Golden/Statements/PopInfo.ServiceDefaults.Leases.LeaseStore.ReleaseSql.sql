UPDATE leases
SET    expires_at = SYSDATETIMEOFFSET()
WHERE  name = @name
       AND holder = @holder
       AND epoch = @epoch;
