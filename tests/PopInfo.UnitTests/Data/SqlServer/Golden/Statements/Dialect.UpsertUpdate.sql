MERGE INTO t WITH (HOLDLOCK)

USING (VALUES (@a, @b, @n)) AS excluded(a, b, n) ON t.a = excluded.a
                                                    AND t.b = excluded.b
WHEN MATCHED THEN UPDATE 
SET n = t.n + excluded.n
WHEN NOT MATCHED THEN INSERT (a, b, n) VALUES (excluded.a, excluded.b, excluded.n) OUTPUT inserted.n;
