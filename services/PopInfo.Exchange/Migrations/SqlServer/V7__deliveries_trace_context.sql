-- SQL Server's translation of PostgreSql/V7__deliveries_trace_context.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- The W3C trace context of the projection of the change an event was made of (itself a child of the registry's
-- change, docs/tracing.md): the AMQP and webhook relays send the event as a child of it. The same traceparent is
-- in the CloudEvent (the distributed-tracing extension). Null for events of changes that carried no trace context,
-- and for events written before this migration.
ALTER TABLE deliveries ADD traceparent nvarchar(max), tracestate nvarchar(max);
