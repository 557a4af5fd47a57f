MERGE INTO t WITH (HOLDLOCK)

USING (VALUES (@a, @v)) AS excluded(a, v) ON t.a = excluded.a
WHEN MATCHED AND (t.v < excluded.v
                  OR t.v IS NULL) THEN UPDATE 
SET v = excluded.v
WHEN NOT MATCHED THEN INSERT (a, v) VALUES (excluded.a, excluded.v);
