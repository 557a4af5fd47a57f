SELECT   seq AS Seq,
         command_id AS CommandId,
         command_type AS CommandType,
         message AS Message,
         traceparent AS TraceParent,
         tracestate AS TraceState
FROM     registry_command_outbox
WHERE    sent_at IS NULL
ORDER BY seq
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
