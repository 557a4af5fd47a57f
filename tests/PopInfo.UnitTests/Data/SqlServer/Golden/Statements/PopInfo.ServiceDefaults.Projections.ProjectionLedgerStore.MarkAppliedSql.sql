MERGE INTO applied_sequences WITH (HOLDLOCK)

USING (VALUES (@s0, @r0), (@s1, @r1)) AS excluded(sequence, recorded_at) ON applied_sequences.sequence = excluded.sequence
WHEN NOT MATCHED THEN INSERT (sequence, recorded_at) VALUES (excluded.sequence, excluded.recorded_at);
