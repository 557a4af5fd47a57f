-- The W3C trace context of the request that submitted the form (docs/tracing.md): the relay sends the
-- submission as a child of it, so one trace follows the form from the desk to the register. Null for rows
-- written without an activity, and for rows written before this migration.
ALTER TABLE submissions ADD COLUMN traceparent TEXT;
ALTER TABLE submissions ADD COLUMN tracestate TEXT;
