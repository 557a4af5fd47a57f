SELECT   webhook_state
FROM     deliveries
WHERE    department_code = @code
         AND person_id = @personId
         AND webhook_state IN ('dead', 'held', 'pending')
         AND sequence < @sequence
ORDER BY sequence
OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY;
