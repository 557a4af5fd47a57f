MERGE INTO samples WITH (HOLDLOCK)

USING (VALUES (@Metric, @Subject, @takenAt, @Value)) AS excluded(metric, subject, taken_at, value) ON samples.metric = excluded.metric
                                                                                                      AND samples.subject = excluded.subject
                                                                                                      AND samples.taken_at = excluded.taken_at
WHEN NOT MATCHED THEN INSERT (metric, subject, taken_at, value) VALUES (excluded.metric, excluded.subject, excluded.taken_at, excluded.value);
