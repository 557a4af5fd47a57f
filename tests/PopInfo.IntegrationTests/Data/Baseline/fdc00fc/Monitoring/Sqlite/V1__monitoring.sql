-- SQLite translation of the PostgreSQL script; keep the two in step.
-- The monitoring service (schema "monitoring"): samples of what it watched, the alert rules and their alerts, the
-- notifications of those alerts (an outbox), and the operators' actions. No personal data: every source answers counts.
-- docs/monitoring.md, ADR 0004, docs/database-roles.md.

-- One figure of one subject at one time, as the collector took it: metric (service.ready, department.lag_seconds,
-- queue.messages, …), subject (a service, a department code, a queue's name, a region code), value. Pruned after the
-- retention (PopInfo:Monitoring:SampleRetention).
CREATE TABLE samples (
    metric   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    value    REAL NOT NULL,
    PRIMARY KEY (metric, subject, taken_at)
) WITHOUT ROWID;
CREATE INDEX samples_taken ON samples (taken_at);

-- Alert rules: a condition over one metric (value above or below a threshold) held for a duration opens an alert per
-- subject. Shipped with defaults (below), edited by operators through the API (each change in operator_actions).
CREATE TABLE alert_rules (
    code             TEXT PRIMARY KEY,
    metric           TEXT NOT NULL,
    comparison       TEXT NOT NULL,     -- above | below
    threshold        REAL NOT NULL,
    duration_seconds INTEGER NOT NULL,
    severity         TEXT NOT NULL,     -- warning | critical
    enabled          INTEGER NOT NULL,
    description      TEXT NOT NULL,
    version          INTEGER NOT NULL,
    changed_at       TEXT NOT NULL,
    changed_by       TEXT NOT NULL
);

-- One alert per rule and subject while its condition holds: since when it held, when it fired (held for the rule's
-- duration), when it ended, who acknowledged it. At most one open alert per rule and subject.
CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_code       TEXT NOT NULL REFERENCES alert_rules (code),
    rule_version    INTEGER NOT NULL,
    subject         TEXT NOT NULL,
    metric          TEXT NOT NULL,
    comparison      TEXT NOT NULL,
    threshold       REAL NOT NULL,
    severity        TEXT NOT NULL,
    held_since      TEXT NOT NULL,
    fired_at        TEXT NOT NULL,
    fired_value     REAL NOT NULL,
    last_value      REAL NOT NULL,
    last_seen_at    TEXT NOT NULL,
    ended_at        TEXT,
    acknowledged_at TEXT,
    acknowledged_by text
);
CREATE UNIQUE INDEX alerts_open ON alerts (rule_code, subject) WHERE ended_at IS NULL;
CREATE INDEX alerts_fired ON alerts (fired_at);

-- The outbox of alert notifications: one row per alert opened or ended, written in the alert's transaction, posted as a
-- signed webhook by the relay (the evaluator's lease holder), marked sent. event_id is the webhook-id receivers dedupe on.
CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        TEXT NOT NULL UNIQUE,
    alert_id        INTEGER NOT NULL REFERENCES alerts (id),
    kind            TEXT NOT NULL,      -- opened | ended
    body            TEXT NOT NULL,      -- the CloudEvent JSON, exactly as posted
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    given_up_at     TEXT,
    last_status     text
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE sent_at IS NULL AND given_up_at IS NULL;

-- What operators did: a rule changed (before and after), an alert acknowledged. A hash chain (docs/database-roles.md);
-- the runtime role may only add to it and read it.
CREATE TABLE operator_actions (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    before    text,
    after     text,
    prev_hash text,
    hash      text
);

CREATE TABLE audit_chain_head (
    table_name TEXT PRIMARY KEY,
    last_id    INTEGER NOT NULL,
    last_hash  TEXT NOT NULL
);
INSERT INTO audit_chain_head (table_name, last_id, last_hash) VALUES
    ('operator_actions', 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE ON audit_chain_head
WHEN NEW.table_name <> OLD.table_name OR NEW.last_id <= OLD.last_id
BEGIN
    SELECT RAISE(ABORT, 'the head of the audit chain only moves forward');
END;

-- The shipped rules (docs/monitoring.md, "Alert rules").
INSERT INTO alert_rules (code, metric, comparison, threshold, duration_seconds, severity, enabled, description, version, changed_at, changed_by) VALUES
    ('service-not-ready', 'service.ready', 'below', 1, 60, 'critical', 1, 'A service is not ready (or not answering) for a minute.', 1, '2026-12-06T00:00:00.0000000+00:00', 'shipped'),
    ('broker-not-answering', 'broker.answered', 'below', 1, 60, 'critical', 1, 'The broker''s management API does not answer for a minute.', 1, '2026-12-06T00:00:00.0000000+00:00', 'shipped'),
    ('broker-alarm', 'broker.alarm', 'above', 0, 0, 'critical', 1, 'A broker node raised a memory or disk alarm: publishers are blocked.', 1, '2026-12-06T00:00:00.0000000+00:00', 'shipped'),
    ('database-not-answering', 'database.answered', 'below', 1, 60, 'critical', 1, 'PostgreSQL does not answer the monitoring role for a minute.', 1, '2026-12-06T00:00:00.0000000+00:00', 'shipped'),
    ('queue-deep', 'queue.messages', 'above', 50000, 300, 'warning', 1, 'A queue holds more than 50,000 messages for five minutes.', 1, '2026-12-06T00:00:00.0000000+00:00', 'shipped'),
    ('relay-backlog', 'registry.relay_backlog', 'above', 1000, 120, 'warning', 1, 'The registry''s change log is more than 1,000 changes ahead of the bus for two minutes.', 1, '2026-12-06T00:00:00.0000000+00:00', 'shipped'),
    ('read-model-behind', 'readmodel.seconds_behind', 'above', 300, 300, 'warning', 1, 'A read model (sharing, analytics) is more than five minutes behind the register for five minutes.', 1, '2026-12-06T00:00:00.0000000+00:00', 'shipped'),
    ('department-lag', 'department.lag_seconds', 'above', 600, 120, 'warning', 1, 'A department has not taken its changes for more than ten minutes, for two minutes.', 1, '2026-12-06T00:00:00.0000000+00:00', 'shipped'),
    ('dead-letter', 'department.dead_letters', 'above', 0, 0, 'critical', 1, 'A department''s webhook has dead letters (and holds that person''s later events).', 1, '2026-12-06T00:00:00.0000000+00:00', 'shipped');
