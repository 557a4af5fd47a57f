SELECT   sequence AS Sequence,
         registry_sequence AS RegistrySequence,
         person_id AS PersonId,
         webhook_state AS State,
         webhook_attempts AS Attempts,
         webhook_error AS Error,
         webhook_at AS LastAttemptAt
FROM     deliveries
WHERE    department_code = @code
         AND webhook_state IN ('dead', 'held')
ORDER BY sequence
OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;
