MERGE INTO t WITH (HOLDLOCK)

USING (VALUES (@a1, @b1), (@a2, @b2)) AS excluded(a, b) ON t.a = excluded.a
                                                           AND t.b = excluded.b
WHEN NOT MATCHED THEN INSERT (a, b) VALUES (excluded.a, excluded.b);
