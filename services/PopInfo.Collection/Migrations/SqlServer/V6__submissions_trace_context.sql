-- SQL Server's translation of PostgreSql/V6__submissions_trace_context.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- The W3C trace context of the request that submitted the form (docs/tracing.md): the relay sends the
-- submission as a child of it, so one trace follows the form from the desk to the register. Null for rows
-- written without an activity, and for rows written before this migration.
ALTER TABLE submissions ADD traceparent nvarchar(max), tracestate nvarchar(max);
