MERGE INTO cell_key_secret WITH (HOLDLOCK)

USING (VALUES (1, @secret, @now)) AS excluded(id, secret, created_at) ON cell_key_secret.id = excluded.id
WHEN NOT MATCHED THEN INSERT (id, secret, created_at) VALUES (excluded.id, excluded.secret, excluded.created_at);
