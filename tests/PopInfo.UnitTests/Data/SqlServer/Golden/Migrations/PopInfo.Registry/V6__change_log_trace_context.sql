ALTER TABLE change_log
    ADD traceparent NVARCHAR (MAX),
        tracestate  NVARCHAR (MAX);
