UPDATE deliveries
SET    webhook_state    = @state,
       webhook_attempts = webhook_attempts + @attempts,
       webhook_error    = @error,
       webhook_at       = @now
WHERE  department_code = @code
       AND sequence = @sequence;

UPDATE leases
SET    expires_at = DATEADD(millisecond, @leaseTtl, SYSDATETIMEOFFSET())
OUTPUT inserted.epoch
WHERE  name = @leaseName
       AND holder = @leaseHolder
       AND epoch = @leaseEpoch;
