SELECT   seq,
         message
FROM     status_outbox
WHERE    sent_at IS NULL
ORDER BY seq
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
