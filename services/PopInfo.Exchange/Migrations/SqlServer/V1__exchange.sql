-- SQL Server's translation of PostgreSql/V1__exchange.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- The department information exchange (schema "exchange"): departments and their subscriptions, the
-- audit trail of entitlements and reads, the position in the register's change log, and every event
-- projected for a department (the same rows feed its queue, its webhook and its replay feed).

CREATE TABLE departments (
    code            nvarchar(200) COLLATE Latin1_General_100_BIN2 PRIMARY KEY,
    name            nvarchar(max) NOT NULL,
    contact         nvarchar(max) NOT NULL,
    status          nvarchar(max) NOT NULL,            -- active | suspended
    inbound_kinds   nvarchar(max) NOT NULL,            -- JSON array of the record kinds it may push
    webhook_url     nvarchar(max),
    webhook_secret  nvarchar(max),                     -- needed to sign; whsec_<base64>
    api_key_hash    nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    amqp_user       nvarchar(max),                     -- null when the platform runs without RabbitMQ
    last_sequence   bigint NOT NULL DEFAULT 0, -- the department's own event sequence, last assigned
    version         int NOT NULL,
    created_at      datetimeoffset NOT NULL,
    updated_at      datetimeoffset NOT NULL
);
CREATE UNIQUE INDEX departments_api_key ON departments (api_key_hash);

CREATE TABLE subscriptions (
    id               uniqueidentifier PRIMARY KEY,
    department_code  nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL REFERENCES departments (code),
    change_types     nvarchar(max) NOT NULL,           -- JSON array
    regions          nvarchar(max) NOT NULL,           -- JSON array of region codes, any level
    fields           nvarchar(max) NOT NULL,           -- JSON array of person field names
    purpose          nvarchar(max) NOT NULL,
    status           nvarchar(max) NOT NULL,           -- active | ended
    version          int NOT NULL,
    created_at       datetimeoffset NOT NULL,
    updated_at       datetimeoffset NOT NULL
);
CREATE INDEX subscriptions_department ON subscriptions (department_code);

-- Every change to an entitlement (before and after) and every read of people by a department.
CREATE TABLE audit_log (
    id               bigint IDENTITY(1,1) PRIMARY KEY,
    at               datetimeoffset NOT NULL,
    actor            nvarchar(max) NOT NULL,
    remote_address   nvarchar(max),
    department_code  nvarchar(200) COLLATE Latin1_General_100_BIN2,
    subscription_id  uniqueidentifier,
    action           nvarchar(max) NOT NULL,
    before           nvarchar(max),
    after            nvarchar(max)
);
CREATE INDEX audit_log_department ON audit_log (department_code, id);

-- How far the register's change log has been projected.
CREATE TABLE projection_position (
    name           nvarchar(200) PRIMARY KEY,
    last_sequence  bigint NOT NULL
);
INSERT INTO projection_position (name, last_sequence) VALUES ('change-log', 0);

CREATE TABLE deliveries (
    department_code    nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    sequence           bigint NOT NULL,
    registry_sequence  bigint NOT NULL,
    subscription_id    uniqueidentifier NOT NULL,
    person_id          uniqueidentifier NOT NULL,
    event_type         nvarchar(max) NOT NULL,         -- the CloudEvent's type, also the AMQP message type
    event              nvarchar(max) NOT NULL,         -- the CloudEvent exactly as delivered
    created_at         datetimeoffset NOT NULL,
    webhook_state      nvarchar(max),                  -- null (no webhook) | pending | delivered | dead | held
    webhook_attempts   int NOT NULL DEFAULT 0,
    webhook_error      nvarchar(max),
    webhook_at         datetimeoffset,
    PRIMARY KEY (department_code, sequence)
);
CREATE INDEX deliveries_registry_sequence ON deliveries (registry_sequence);
CREATE INDEX deliveries_webhook_pending ON deliveries (department_code, sequence) WHERE webhook_state = 'pending';
CREATE INDEX deliveries_webhook_parked ON deliveries (department_code, person_id) WHERE webhook_state IN ('dead', 'held');

-- The last sequence confirmed by the broker into each department's queue.
CREATE TABLE amqp_cursors (
    department_code  nvarchar(200) COLLATE Latin1_General_100_BIN2 PRIMARY KEY,
    last_sequence    bigint NOT NULL,
    updated_at       datetimeoffset NOT NULL
);
