UPDATE relay_position
SET    last_sequence = @Published,
       updated_at    = @now
WHERE  name = @name
       AND last_sequence < @Published;

UPDATE leases
SET    expires_at = DATEADD(millisecond, @leaseTtl, SYSDATETIMEOFFSET())
OUTPUT inserted.epoch
WHERE  name = @leaseName
       AND holder = @leaseHolder
       AND epoch = @leaseEpoch;
