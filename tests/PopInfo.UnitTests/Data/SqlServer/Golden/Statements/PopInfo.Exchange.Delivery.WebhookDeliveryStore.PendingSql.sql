SELECT   sequence AS Sequence,
         person_id AS PersonId,
         event AS Event,
         traceparent AS TraceParent,
         tracestate AS TraceState
FROM     deliveries
WHERE    department_code = @code
         AND webhook_state = 'pending'
ORDER BY sequence
OFFSET 0 ROWS FETCH NEXT 100 ROWS ONLY;
