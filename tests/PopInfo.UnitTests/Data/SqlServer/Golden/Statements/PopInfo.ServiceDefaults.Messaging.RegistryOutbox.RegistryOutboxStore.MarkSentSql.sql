UPDATE registry_command_outbox
SET    sent_at = @now,
       sends   = sends + 1
WHERE  seq IN (@seqs1, @seqs2);

UPDATE leases
SET    expires_at = DATEADD(millisecond, @leaseTtl, SYSDATETIMEOFFSET())
OUTPUT inserted.epoch
WHERE  name = @leaseName
       AND holder = @leaseHolder
       AND epoch = @leaseEpoch;
