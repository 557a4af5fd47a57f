-- The monitoring service (schema "monitoring"): samples of what it watched, the alert rules and their alerts, the
-- notifications of those alerts (an outbox), and the operators' actions. No personal data: every source answers counts.
-- docs/monitoring.md, ADR 0004, docs/database-roles.md.

-- One figure of one subject at one time, as the collector took it: metric (service.ready, department.lag_seconds,
-- queue.messages, …), subject (a service, a department code, a queue's name, a region code), value. Pruned after the
-- retention (PopInfo:Monitoring:SampleRetention).
CREATE TABLE samples (
    metric   text NOT NULL,
    subject  text NOT NULL,
    taken_at timestamptz NOT NULL,
    value    double precision NOT NULL,
    PRIMARY KEY (metric, subject, taken_at)
);
CREATE INDEX samples_taken ON samples (taken_at);

-- Alert rules: a condition over one metric (value above or below a threshold) held for a duration opens an alert per
-- subject. Shipped with defaults (below), edited by operators through the API (each change in operator_actions).
CREATE TABLE alert_rules (
    code             text PRIMARY KEY,
    metric           text NOT NULL,
    comparison       text NOT NULL,     -- above | below
    threshold        double precision NOT NULL,
    duration_seconds integer NOT NULL,
    severity         text NOT NULL,     -- warning | critical
    enabled          boolean NOT NULL,
    description      text NOT NULL,
    version          integer NOT NULL,
    changed_at       timestamptz NOT NULL,
    changed_by       text NOT NULL
);

-- One alert per rule and subject while its condition holds: since when it held, when it fired (held for the rule's
-- duration), when it ended, who acknowledged it. At most one open alert per rule and subject.
CREATE TABLE alerts (
    id              bigserial PRIMARY KEY,
    rule_code       text NOT NULL REFERENCES alert_rules (code),
    rule_version    integer NOT NULL,
    subject         text NOT NULL,
    metric          text NOT NULL,
    comparison      text NOT NULL,
    threshold       double precision NOT NULL,
    severity        text NOT NULL,
    held_since      timestamptz NOT NULL,
    fired_at        timestamptz NOT NULL,
    fired_value     double precision NOT NULL,
    last_value      double precision NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    ended_at        timestamptz,
    acknowledged_at timestamptz,
    acknowledged_by text
);
CREATE UNIQUE INDEX alerts_open ON alerts (rule_code, subject) WHERE ended_at IS NULL;
CREATE INDEX alerts_fired ON alerts (fired_at);

-- The outbox of alert notifications: one row per alert opened or ended, written in the alert's transaction, posted as a
-- signed webhook by the relay (the evaluator's lease holder), marked sent. event_id is the webhook-id receivers dedupe on.
CREATE TABLE notifications (
    id              bigserial PRIMARY KEY,
    event_id        text NOT NULL UNIQUE,
    alert_id        bigint NOT NULL REFERENCES alerts (id),
    kind            text NOT NULL,      -- opened | ended
    body            text NOT NULL,      -- the CloudEvent JSON, exactly as posted
    created_at      timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    sent_at         timestamptz,
    given_up_at     timestamptz,
    last_status     text
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE sent_at IS NULL AND given_up_at IS NULL;

-- What operators did: a rule changed (before and after), an alert acknowledged. A hash chain (docs/database-roles.md);
-- the runtime role may only add to it and read it.
CREATE TABLE operator_actions (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL,
    actor     text NOT NULL,
    action    text NOT NULL,
    subject   text NOT NULL,
    before    text,
    after     text,
    prev_hash text,
    hash      text
);

CREATE TABLE audit_chain_head (
    table_name text PRIMARY KEY,
    last_id    bigint NOT NULL,
    last_hash  text NOT NULL
);
INSERT INTO audit_chain_head (table_name, last_id, last_hash) VALUES
    ('operator_actions', 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.table_name <> OLD.table_name OR NEW.last_id <= OLD.last_id THEN
        RAISE EXCEPTION 'the head of the audit chain of % only moves forward', OLD.table_name USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward_only();

-- The shipped rules (docs/monitoring.md, "Alert rules").
INSERT INTO alert_rules (code, metric, comparison, threshold, duration_seconds, severity, enabled, description, version, changed_at, changed_by) VALUES
    ('service-not-ready', 'service.ready', 'below', 1, 60, 'critical', true, 'A service is not ready (or not answering) for a minute.', 1, now(), 'shipped'),
    ('broker-not-answering', 'broker.answered', 'below', 1, 60, 'critical', true, 'The broker''s management API does not answer for a minute.', 1, now(), 'shipped'),
    ('broker-alarm', 'broker.alarm', 'above', 0, 0, 'critical', true, 'A broker node raised a memory or disk alarm: publishers are blocked.', 1, now(), 'shipped'),
    ('database-not-answering', 'database.answered', 'below', 1, 60, 'critical', true, 'PostgreSQL does not answer the monitoring role for a minute.', 1, now(), 'shipped'),
    ('queue-deep', 'queue.messages', 'above', 50000, 300, 'warning', true, 'A queue holds more than 50,000 messages for five minutes.', 1, now(), 'shipped'),
    ('relay-backlog', 'registry.relay_backlog', 'above', 1000, 120, 'warning', true, 'The registry''s change log is more than 1,000 changes ahead of the bus for two minutes.', 1, now(), 'shipped'),
    ('read-model-behind', 'readmodel.seconds_behind', 'above', 300, 300, 'warning', true, 'A read model (sharing, analytics) is more than five minutes behind the register for five minutes.', 1, now(), 'shipped'),
    ('department-lag', 'department.lag_seconds', 'above', 600, 120, 'warning', true, 'A department has not taken its changes for more than ten minutes, for two minutes.', 1, now(), 'shipped'),
    ('dead-letter', 'department.dead_letters', 'above', 0, 0, 'critical', true, 'A department''s webhook has dead letters (and holds that person''s later events).', 1, now(), 'shipped');
