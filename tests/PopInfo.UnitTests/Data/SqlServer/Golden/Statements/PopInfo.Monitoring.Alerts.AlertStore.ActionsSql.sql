SELECT   id AS Id,
         at AS At,
         actor AS Actor,
         action AS Action,
         subject AS Subject,
         before AS Before,
         after AS After
FROM     operator_actions
WHERE    (@beforeId IS NULL
          OR id < @beforeId)
ORDER BY id DESC
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
