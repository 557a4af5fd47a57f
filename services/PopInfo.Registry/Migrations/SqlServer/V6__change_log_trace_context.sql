-- SQL Server's translation of PostgreSql/V6__change_log_trace_context.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- The W3C trace context of the activity that applied the change (an HTTP request, or the consumer of a bus
-- command, which continues the sender's trace): the change-log relay publishes the entry as a child of it and
-- the feed hands it on, so the trace goes on to every service that hears the change (docs/tracing.md). Null for
-- entries written without an activity, and for entries written before this migration.
ALTER TABLE change_log ADD traceparent nvarchar(max), tracestate nvarchar(max);
