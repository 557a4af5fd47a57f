ALTER TABLE submissions
    ADD traceparent NVARCHAR (MAX),
        tracestate  NVARCHAR (MAX);
