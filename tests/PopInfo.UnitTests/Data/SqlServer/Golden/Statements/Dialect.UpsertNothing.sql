MERGE INTO t WITH (HOLDLOCK)

USING (VALUES (@a, @b)) AS excluded(a, b) ON t.a = excluded.a
WHEN NOT MATCHED THEN INSERT (a, b) VALUES (excluded.a, excluded.b);
