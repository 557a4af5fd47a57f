SELECT   id AS Id,
         at AS At,
         actor AS Actor,
         remote_address AS RemoteAddress,
         client_id AS ClientId,
         action AS Action,
         before AS Before,
         after AS After
FROM     grant_changes
WHERE    client_id = @clientId
         AND id > @after
ORDER BY id
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
