SELECT   sequence AS Sequence,
         event_type AS Type,
         event AS Event
FROM     deliveries
WHERE    department_code = @code
         AND sequence > @after
ORDER BY sequence
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
