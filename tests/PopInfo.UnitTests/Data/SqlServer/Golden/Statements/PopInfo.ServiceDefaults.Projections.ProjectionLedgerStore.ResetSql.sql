DELETE applied_sequences;

UPDATE projection_state
SET    snapshot_sequence     = NULL,
       low_watermark         = 0,
       watermark_recorded_at = NULL,
       built_at              = NULL,
       rebuild_requested_at  = NULL
WHERE  id = 1;

UPDATE leases
SET    expires_at = DATEADD(millisecond, @leaseTtl, SYSDATETIMEOFFSET())
OUTPUT inserted.epoch
WHERE  name = @leaseName
       AND holder = @leaseHolder
       AND epoch = @leaseEpoch;
