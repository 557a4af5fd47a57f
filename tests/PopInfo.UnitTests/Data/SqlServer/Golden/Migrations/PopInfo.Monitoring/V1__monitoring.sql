CREATE TABLE samples (
    metric   NVARCHAR (200) NOT NULL,
    subject  NVARCHAR (200) NOT NULL,
    taken_at DATETIMEOFFSET NOT NULL,
    value    FLOAT          NOT NULL,
    PRIMARY KEY (metric, subject, taken_at)
);

CREATE INDEX samples_taken
    ON samples(taken_at);

CREATE TABLE alert_rules (
    code             NVARCHAR (200) PRIMARY KEY,
    metric           NVARCHAR (MAX) NOT NULL,
    comparison       NVARCHAR (MAX) NOT NULL,
    threshold        FLOAT          NOT NULL,
    duration_seconds INT            NOT NULL,
    severity         NVARCHAR (MAX) NOT NULL,
    enabled          BIT            NOT NULL,
    description      NVARCHAR (MAX) NOT NULL,
    version          INT            NOT NULL,
    changed_at       DATETIMEOFFSET NOT NULL,
    changed_by       NVARCHAR (MAX) NOT NULL
);

CREATE TABLE alerts (
    id              BIGINT         IDENTITY (1, 1) PRIMARY KEY,
    rule_code       NVARCHAR (200) NOT NULL FOREIGN KEY REFERENCES alert_rules (code),
    rule_version    INT            NOT NULL,
    subject         NVARCHAR (200) NOT NULL,
    metric          NVARCHAR (MAX) NOT NULL,
    comparison      NVARCHAR (MAX) NOT NULL,
    threshold       FLOAT          NOT NULL,
    severity        NVARCHAR (MAX) NOT NULL,
    held_since      DATETIMEOFFSET NOT NULL,
    fired_at        DATETIMEOFFSET NOT NULL,
    fired_value     FLOAT          NOT NULL,
    last_value      FLOAT          NOT NULL,
    last_seen_at    DATETIMEOFFSET NOT NULL,
    ended_at        DATETIMEOFFSET,
    acknowledged_at DATETIMEOFFSET,
    acknowledged_by NVARCHAR (MAX)
);

CREATE UNIQUE INDEX alerts_open
    ON alerts(rule_code, subject) WHERE ended_at IS NULL;

CREATE INDEX alerts_fired
    ON alerts(fired_at);

CREATE TABLE notifications (
    id              BIGINT         IDENTITY (1, 1) PRIMARY KEY,
    event_id        NVARCHAR (200) NOT NULL UNIQUE,
    alert_id        BIGINT         NOT NULL FOREIGN KEY REFERENCES alerts (id),
    kind            NVARCHAR (MAX) NOT NULL,
    body            NVARCHAR (MAX) NOT NULL,
    created_at      DATETIMEOFFSET NOT NULL,
    attempts        INT            DEFAULT 0 NOT NULL,
    next_attempt_at DATETIMEOFFSET NOT NULL,
    sent_at         DATETIMEOFFSET,
    given_up_at     DATETIMEOFFSET,
    last_status     NVARCHAR (MAX)
);

CREATE INDEX notifications_due
    ON notifications(next_attempt_at) WHERE sent_at IS NULL
                                            AND given_up_at IS NULL;

CREATE TABLE operator_actions (
    id        BIGINT         IDENTITY (1, 1) PRIMARY KEY,
    at        DATETIMEOFFSET NOT NULL,
    actor     NVARCHAR (MAX) NOT NULL,
    action    NVARCHAR (MAX) NOT NULL,
    subject   NVARCHAR (MAX) NOT NULL,
    before    NVARCHAR (MAX),
    after     NVARCHAR (MAX),
    prev_hash NVARCHAR (MAX),
    hash      NVARCHAR (MAX)
);

CREATE TABLE audit_chain_head (
    table_name NVARCHAR (200) PRIMARY KEY,
    last_id    BIGINT         NOT NULL,
    last_hash  NVARCHAR (MAX) NOT NULL
);

INSERT  INTO audit_chain_head (table_name, last_id, last_hash)
VALUES                        ('operator_actions', 0, '0000000000000000000000000000000000000000000000000000000000000000');


GO
CREATE TRIGGER audit_chain_head_forward_only
    ON audit_chain_head
    AFTER UPDATE
    AS BEGIN
           SET NOCOUNT ON;
           IF EXISTS (SELECT 1
                      FROM   inserted AS i
                             INNER JOIN
                             deleted AS d
                             ON d.table_name = i.table_name
                      WHERE  i.last_id <= d.last_id)
              OR EXISTS (SELECT 1
                         FROM   inserted AS i
                         WHERE  NOT EXISTS (SELECT 1
                                            FROM   deleted AS d
                                            WHERE  d.table_name = i.table_name))
               THROW 50000, 'the head of the audit chain only moves forward', 1;
       END


GO
INSERT  INTO alert_rules (code, metric, comparison, threshold, duration_seconds, severity, enabled, description, version, changed_at, changed_by)
VALUES                   ('service-not-ready', 'service.ready', 'below', 1, 60, 'critical', 1, 'A service is not ready (or not answering) for a minute.', 1, SYSDATETIMEOFFSET(), 'shipped'),
                         ('broker-not-answering', 'broker.answered', 'below', 1, 60, 'critical', 1, 'The broker''s management API does not answer for a minute.', 1, SYSDATETIMEOFFSET(), 'shipped'),
                         ('broker-alarm', 'broker.alarm', 'above', 0, 0, 'critical', 1, 'A broker node raised a memory or disk alarm: publishers are blocked.', 1, SYSDATETIMEOFFSET(), 'shipped'),
                         ('database-not-answering', 'database.answered', 'below', 1, 60, 'critical', 1, 'PostgreSQL does not answer the monitoring role for a minute.', 1, SYSDATETIMEOFFSET(), 'shipped'),
                         ('queue-deep', 'queue.messages', 'above', 50000, 300, 'warning', 1, 'A queue holds more than 50,000 messages for five minutes.', 1, SYSDATETIMEOFFSET(), 'shipped'),
                         ('relay-backlog', 'registry.relay_backlog', 'above', 1000, 120, 'warning', 1, 'The registry''s change log is more than 1,000 changes ahead of the bus for two minutes.', 1, SYSDATETIMEOFFSET(), 'shipped'),
                         ('read-model-behind', 'readmodel.seconds_behind', 'above', 300, 300, 'warning', 1, 'A read model (sharing, analytics) is more than five minutes behind the register for five minutes.', 1, SYSDATETIMEOFFSET(), 'shipped'),
                         ('department-lag', 'department.lag_seconds', 'above', 600, 120, 'warning', 1, 'A department has not taken its changes for more than ten minutes, for two minutes.', 1, SYSDATETIMEOFFSET(), 'shipped'),
                         ('dead-letter', 'department.dead_letters', 'above', 0, 0, 'critical', 1, 'A department''s webhook has dead letters (and holds that person''s later events).', 1, SYSDATETIMEOFFSET(), 'shipped');
