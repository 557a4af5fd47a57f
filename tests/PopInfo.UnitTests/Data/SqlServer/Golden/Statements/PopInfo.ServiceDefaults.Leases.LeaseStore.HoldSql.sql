MERGE INTO leases WITH (HOLDLOCK)

USING (VALUES (@name, '', 0, SYSDATETIMEOFFSET())) AS excluded(name, holder, epoch, expires_at) ON leases.name = excluded.name
WHEN NOT MATCHED THEN INSERT (name, holder, epoch, expires_at) VALUES (excluded.name, excluded.holder, excluded.epoch, excluded.expires_at);

UPDATE leases
SET    epoch      = CASE WHEN holder = @holder THEN epoch ELSE epoch + 1 END,
       holder     = @holder,
       expires_at = DATEADD(millisecond, @ttl, SYSDATETIMEOFFSET())
OUTPUT inserted.epoch
WHERE  name = @name
       AND (holder = @holder
            OR expires_at <= SYSDATETIMEOFFSET());
