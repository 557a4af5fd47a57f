MERGE INTO rate_limit_windows WITH (HOLDLOCK)

USING (VALUES (@limit, @key, @start, @expires, @hits)) AS excluded(limit_name, partition_key, window_start, expires_at, hits) ON rate_limit_windows.limit_name = excluded.limit_name
                                                                                                                                 AND rate_limit_windows.partition_key = excluded.partition_key
                                                                                                                                 AND rate_limit_windows.window_start = excluded.window_start
WHEN MATCHED THEN UPDATE 
SET hits = rate_limit_windows.hits + excluded.hits
WHEN NOT MATCHED THEN INSERT (limit_name, partition_key, window_start, expires_at, hits) VALUES (excluded.limit_name, excluded.partition_key, excluded.window_start, excluded.expires_at, excluded.hits) OUTPUT inserted.hits;
