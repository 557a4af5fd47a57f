SELECT   id,
         at,
         client,
         subject,
         action,
         person_ids,
         detail
FROM     read_audit
ORDER BY id DESC
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
