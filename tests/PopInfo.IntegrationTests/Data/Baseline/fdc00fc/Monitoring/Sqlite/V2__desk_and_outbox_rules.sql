-- SQLite translation of the PostgreSQL script; keep the two in step.
-- Shipped rules: a community's day before today not closed with every form dealt with (一日一清), once its deadline
-- (24:00 CST) has passed. docs/monitoring.md, "Alert rules".
INSERT INTO alert_rules (code, metric, comparison, threshold, duration_seconds, severity, enabled, description, version, changed_at, changed_by) VALUES
    ('desk-day-not-cleared', 'desk.day_not_cleared', 'above', 0, 0, 'warning', 1,
     'A community''s day before today is not closed with every form dealt with (一日一清), past its deadline of 24:00.', 1, '2026-12-06T00:00:00.0000000+00:00', 'shipped'),
    ('outbox-stuck', 'outbox.oldest_seconds', 'above', 600, 60, 'warning', 1,
     'A command has waited in an outbox to the registry (desk submissions, departments'' records) for more than ten minutes.', 1, '2026-12-06T00:00:00.0000000+00:00', 'shipped');
