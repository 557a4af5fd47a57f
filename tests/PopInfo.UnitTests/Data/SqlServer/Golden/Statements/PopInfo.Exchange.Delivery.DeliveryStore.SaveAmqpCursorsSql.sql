MERGE INTO amqp_cursors WITH (HOLDLOCK)

USING (VALUES (@c0, @l0, @now), (@c1, @l1, @now)) AS excluded(department_code, last_sequence, updated_at) ON amqp_cursors.department_code = excluded.department_code
WHEN MATCHED THEN UPDATE 
SET last_sequence = excluded.last_sequence,
    updated_at    = excluded.updated_at
WHEN NOT MATCHED THEN INSERT (department_code, last_sequence, updated_at) VALUES (excluded.department_code, excluded.last_sequence, excluded.updated_at);

UPDATE leases
SET    expires_at = DATEADD(millisecond, @leaseTtl, SYSDATETIMEOFFSET())
OUTPUT inserted.epoch
WHERE  name = @leaseName
       AND holder = @leaseHolder
       AND epoch = @leaseEpoch;
