-- SQL Server's translation of PostgreSql/V2__desk_and_outbox_rules.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- Shipped rules: a community's day before today not closed with every form dealt with (一日一清), once its deadline
-- (24:00 CST) has passed. docs/monitoring.md, "Alert rules". N'…': that description holds Chinese, which a plain
-- (varchar) literal would lose.
INSERT INTO alert_rules (code, metric, comparison, threshold, duration_seconds, severity, enabled, description, version, changed_at, changed_by) VALUES
    ('desk-day-not-cleared', 'desk.day_not_cleared', 'above', 0, 0, 'warning', 1,
     N'A community''s day before today is not closed with every form dealt with (一日一清), past its deadline of 24:00.', 1, SYSDATETIMEOFFSET(), 'shipped'),
    ('outbox-stuck', 'outbox.oldest_seconds', 'above', 600, 60, 'warning', 1,
     'A command has waited in an outbox to the registry (desk submissions, departments'' records) for more than ten minutes.', 1, SYSDATETIMEOFFSET(), 'shipped');
