SELECT   at,
         caller,
         kind,
         query
FROM     query_log
ORDER BY id DESC
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
