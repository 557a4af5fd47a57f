-- SQL Server's translation of PostgreSql/V1__monitoring.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- The monitoring service (schema "monitoring"): samples of what it watched, the alert rules and their alerts, the
-- notifications of those alerts (an outbox), and the operators' actions. No personal data: every source answers counts.
-- docs/monitoring.md, ADR 0004, docs/database-roles.md.

-- One figure of one subject at one time, as the collector took it: metric (service.ready, department.lag_seconds,
-- queue.messages, …), subject (a service, a department code, a queue's name, a region code), value. Pruned after the
-- retention (PopInfo:Monitoring:SampleRetention).
CREATE TABLE samples (
    metric   nvarchar(200) NOT NULL,
    subject  nvarchar(200) NOT NULL,
    taken_at datetimeoffset NOT NULL,
    value    float NOT NULL,
    PRIMARY KEY (metric, subject, taken_at)
);
CREATE INDEX samples_taken ON samples (taken_at);

-- Alert rules: a condition over one metric (value above or below a threshold) held for a duration opens an alert per
-- subject. Shipped with defaults (below), edited by operators through the API (each change in operator_actions).
CREATE TABLE alert_rules (
    code             nvarchar(200) PRIMARY KEY,
    metric           nvarchar(max) NOT NULL,
    comparison       nvarchar(max) NOT NULL,     -- above | below
    threshold        float NOT NULL,
    duration_seconds int NOT NULL,
    severity         nvarchar(max) NOT NULL,     -- warning | critical
    enabled          bit NOT NULL,
    description      nvarchar(max) NOT NULL,
    version          int NOT NULL,
    changed_at       datetimeoffset NOT NULL,
    changed_by       nvarchar(max) NOT NULL
);

-- One alert per rule and subject while its condition holds: since when it held, when it fired (held for the rule's
-- duration), when it ended, who acknowledged it. At most one open alert per rule and subject.
CREATE TABLE alerts (
    id              bigint IDENTITY(1,1) PRIMARY KEY,
    rule_code       nvarchar(200) NOT NULL REFERENCES alert_rules (code),
    rule_version    int NOT NULL,
    subject         nvarchar(200) NOT NULL,
    metric          nvarchar(max) NOT NULL,
    comparison      nvarchar(max) NOT NULL,
    threshold       float NOT NULL,
    severity        nvarchar(max) NOT NULL,
    held_since      datetimeoffset NOT NULL,
    fired_at        datetimeoffset NOT NULL,
    fired_value     float NOT NULL,
    last_value      float NOT NULL,
    last_seen_at    datetimeoffset NOT NULL,
    ended_at        datetimeoffset,
    acknowledged_at datetimeoffset,
    acknowledged_by nvarchar(max)
);
CREATE UNIQUE INDEX alerts_open ON alerts (rule_code, subject) WHERE ended_at IS NULL;
CREATE INDEX alerts_fired ON alerts (fired_at);

-- The outbox of alert notifications: one row per alert opened or ended, written in the alert's transaction, posted as a
-- signed webhook by the relay (the evaluator's lease holder), marked sent. event_id is the webhook-id receivers dedupe on.
CREATE TABLE notifications (
    id              bigint IDENTITY(1,1) PRIMARY KEY,
    event_id        nvarchar(200) NOT NULL UNIQUE,
    alert_id        bigint NOT NULL REFERENCES alerts (id),
    kind            nvarchar(max) NOT NULL,      -- opened | ended
    body            nvarchar(max) NOT NULL,      -- the CloudEvent JSON, exactly as posted
    created_at      datetimeoffset NOT NULL,
    attempts        int NOT NULL DEFAULT 0,
    next_attempt_at datetimeoffset NOT NULL,
    sent_at         datetimeoffset,
    given_up_at     datetimeoffset,
    last_status     nvarchar(max)
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE sent_at IS NULL AND given_up_at IS NULL;

-- What operators did: a rule changed (before and after), an alert acknowledged. A hash chain (docs/database-roles.md);
-- the runtime role may only add to it and read it.
CREATE TABLE operator_actions (
    id        bigint IDENTITY(1,1) PRIMARY KEY,
    at        datetimeoffset NOT NULL,
    actor     nvarchar(max) NOT NULL,
    action    nvarchar(max) NOT NULL,
    subject   nvarchar(max) NOT NULL,
    before    nvarchar(max),
    after     nvarchar(max),
    prev_hash nvarchar(max),
    hash      nvarchar(max)
);

CREATE TABLE audit_chain_head (
    table_name nvarchar(200) PRIMARY KEY,
    last_id    bigint NOT NULL,
    last_hash  nvarchar(max) NOT NULL
);
INSERT INTO audit_chain_head (table_name, last_id, last_hash) VALUES
    ('operator_actions', 0, '0000000000000000000000000000000000000000000000000000000000000000');

GO
CREATE TRIGGER audit_chain_head_forward_only ON audit_chain_head AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    -- A head whose last id did not grow, or whose table changed (a new name that was not there before).
    IF EXISTS (SELECT 1 FROM inserted i JOIN deleted d ON d.table_name = i.table_name WHERE i.last_id <= d.last_id)
        OR EXISTS (SELECT 1 FROM inserted i WHERE NOT EXISTS (SELECT 1 FROM deleted d WHERE d.table_name = i.table_name))
        THROW 50000, 'the head of the audit chain only moves forward', 1;
END
GO

-- The shipped rules (docs/monitoring.md, "Alert rules").
INSERT INTO alert_rules (code, metric, comparison, threshold, duration_seconds, severity, enabled, description, version, changed_at, changed_by) VALUES
    ('service-not-ready', 'service.ready', 'below', 1, 60, 'critical', 1, 'A service is not ready (or not answering) for a minute.', 1, SYSDATETIMEOFFSET(), 'shipped'),
    ('broker-not-answering', 'broker.answered', 'below', 1, 60, 'critical', 1, 'The broker''s management API does not answer for a minute.', 1, SYSDATETIMEOFFSET(), 'shipped'),
    ('broker-alarm', 'broker.alarm', 'above', 0, 0, 'critical', 1, 'A broker node raised a memory or disk alarm: publishers are blocked.', 1, SYSDATETIMEOFFSET(), 'shipped'),
    ('database-not-answering', 'database.answered', 'below', 1, 60, 'critical', 1, 'PostgreSQL does not answer the monitoring role for a minute.', 1, SYSDATETIMEOFFSET(), 'shipped'),
    ('queue-deep', 'queue.messages', 'above', 50000, 300, 'warning', 1, 'A queue holds more than 50,000 messages for five minutes.', 1, SYSDATETIMEOFFSET(), 'shipped'),
    ('relay-backlog', 'registry.relay_backlog', 'above', 1000, 120, 'warning', 1, 'The registry''s change log is more than 1,000 changes ahead of the bus for two minutes.', 1, SYSDATETIMEOFFSET(), 'shipped'),
    ('read-model-behind', 'readmodel.seconds_behind', 'above', 300, 300, 'warning', 1, 'A read model (sharing, analytics) is more than five minutes behind the register for five minutes.', 1, SYSDATETIMEOFFSET(), 'shipped'),
    ('department-lag', 'department.lag_seconds', 'above', 600, 120, 'warning', 1, 'A department has not taken its changes for more than ten minutes, for two minutes.', 1, SYSDATETIMEOFFSET(), 'shipped'),
    ('dead-letter', 'department.dead_letters', 'above', 0, 0, 'critical', 1, 'A department''s webhook has dead letters (and holds that person''s later events).', 1, SYSDATETIMEOFFSET(), 'shipped');
