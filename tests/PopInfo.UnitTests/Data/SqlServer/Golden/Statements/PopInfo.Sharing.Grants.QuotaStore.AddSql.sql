MERGE INTO quota_days WITH (HOLDLOCK)

USING (VALUES (@clientId, @day, @items)) AS excluded(client_id, day, used) ON quota_days.client_id = excluded.client_id
                                                                              AND quota_days.day = excluded.day
WHEN MATCHED THEN UPDATE 
SET used = quota_days.used + excluded.used
WHEN NOT MATCHED THEN INSERT (client_id, day, used) VALUES (excluded.client_id, excluded.day, excluded.used) OUTPUT inserted.used;
