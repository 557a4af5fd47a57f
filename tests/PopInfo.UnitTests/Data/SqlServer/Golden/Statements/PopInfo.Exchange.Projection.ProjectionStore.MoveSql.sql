UPDATE departments
SET    last_sequence = CASE code WHEN @c0 THEN @s0 WHEN @c1 THEN @s1 END
WHERE  code IN (@c0, @c1);

UPDATE projection_position
SET    last_sequence = @last
WHERE  name = @name;

UPDATE leases
SET    expires_at = DATEADD(millisecond, @leaseTtl, SYSDATETIMEOFFSET())
OUTPUT inserted.epoch
WHERE  name = @leaseName
       AND holder = @leaseHolder
       AND epoch = @leaseEpoch;
