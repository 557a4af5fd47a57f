-- SQL Server's translation of PostgreSql/V4__replica_lag_rules.sql (docs/adr/0009-sql-server.md).
-- Shipped rules: a streaming replica of the database (docs/database-replica.md) lagging: its replay more than 30 seconds
-- behind for a minute, or more than 256 MiB of WAL not replayed for five minutes (the seconds stop growing while replay is
-- stuck; the bytes do not). Their thresholds are the alert threshold setting: changed by an operator on the rules tab or
-- PUT /api/v1/alert-rules/{code} (docs/monitoring.md, "Alert rules").
INSERT INTO alert_rules (code, metric, comparison, threshold, duration_seconds, severity, enabled, description, version, changed_at, changed_by) VALUES
    ('replica-lagging', 'database.replica_lag_seconds', 'above', 30, 60, 'warning', 1,
     'A streaming replica of the database replays more than 30 seconds behind the primary for a minute: reads pointed at it are that stale.', 1, SYSDATETIMEOFFSET(), 'shipped'),
    ('replica-behind', 'database.replica_bytes_behind', 'above', 268435456, 300, 'warning', 1,
     'A streaming replica has more than 256 MiB of WAL not replayed for five minutes (stuck, or away while its slot keeps WAL on the primary).', 1, SYSDATETIMEOFFSET(), 'shipped');
