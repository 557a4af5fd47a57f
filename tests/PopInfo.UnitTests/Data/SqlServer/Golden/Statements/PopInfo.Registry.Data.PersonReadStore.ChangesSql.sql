SELECT   event AS Event,
         traceparent AS TraceParent,
         tracestate AS TraceState
FROM     change_log
WHERE    sequence > @after
ORDER BY sequence
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
