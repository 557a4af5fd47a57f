MERGE INTO clients WITH (HOLDLOCK)

USING (VALUES (@clientId, @kind, @displayName, 'active', @scopes, 1, @now, @now)) AS excluded(client_id, kind, display_name, status, scopes, version, created_at, updated_at) ON clients.client_id = excluded.client_id
WHEN MATCHED AND (clients.display_name <> excluded.display_name
                  OR clients.scopes <> excluded.scopes) THEN UPDATE 
SET display_name = excluded.display_name,
    scopes       = excluded.scopes,
    version      = clients.version + 1,
    updated_at   = excluded.updated_at
WHEN NOT MATCHED THEN INSERT (client_id, kind, display_name, status, scopes, version, created_at, updated_at) VALUES (excluded.client_id, excluded.kind, excluded.display_name, excluded.status, excluded.scopes, excluded.version, excluded.created_at, excluded.updated_at);
