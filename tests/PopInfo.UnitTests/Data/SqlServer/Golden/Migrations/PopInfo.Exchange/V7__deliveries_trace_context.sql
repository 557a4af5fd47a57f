ALTER TABLE deliveries
    ADD traceparent NVARCHAR (MAX),
        tracestate  NVARCHAR (MAX);
