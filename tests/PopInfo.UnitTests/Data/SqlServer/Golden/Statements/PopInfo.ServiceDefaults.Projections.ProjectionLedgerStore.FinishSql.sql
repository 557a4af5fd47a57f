UPDATE projection_state
SET    snapshot_sequence = @sequence,
       low_watermark     = @start,
       built_at          = @now
WHERE  id = 1;

UPDATE leases
SET    expires_at = DATEADD(millisecond, @leaseTtl, SYSDATETIMEOFFSET())
OUTPUT inserted.epoch
WHERE  name = @leaseName
       AND holder = @leaseHolder
       AND epoch = @leaseEpoch;
