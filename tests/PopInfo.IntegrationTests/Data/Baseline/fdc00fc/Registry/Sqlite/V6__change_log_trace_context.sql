-- The W3C trace context of the activity that applied the change (an HTTP request, or the consumer of a bus
-- command, which continues the sender's trace): the change-log relay publishes the entry as a child of it and
-- the feed hands it on, so the trace goes on to every service that hears the change (docs/tracing.md). Null for
-- entries written without an activity, and for entries written before this migration.
ALTER TABLE change_log ADD COLUMN traceparent TEXT;
ALTER TABLE change_log ADD COLUMN tracestate TEXT;
