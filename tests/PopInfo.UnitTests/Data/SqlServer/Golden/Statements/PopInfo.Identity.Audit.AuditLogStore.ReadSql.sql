SELECT   id,
         at,
         actor,
         actor_role,
         action,
         target,
         outcome,
         detail,
         remote_address
FROM     audit_log
WHERE    id > @after
ORDER BY id
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
