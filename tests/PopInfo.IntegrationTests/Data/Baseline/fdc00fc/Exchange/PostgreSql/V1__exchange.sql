-- The department information exchange (schema "exchange"): departments and their subscriptions, the
-- audit trail of entitlements and reads, the position in the register's change log, and every event
-- projected for a department (the same rows feed its queue, its webhook and its replay feed).

CREATE TABLE departments (
    code            text COLLATE "C" PRIMARY KEY,
    name            text NOT NULL,
    contact         text NOT NULL,
    status          text NOT NULL,            -- active | suspended
    inbound_kinds   text NOT NULL,            -- JSON array of the record kinds it may push
    webhook_url     text,
    webhook_secret  text,                     -- needed to sign; whsec_<base64>
    api_key_hash    text COLLATE "C" NOT NULL,
    amqp_user       text,                     -- null when the platform runs without RabbitMQ
    last_sequence   bigint NOT NULL DEFAULT 0, -- the department's own event sequence, last assigned
    version         integer NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX departments_api_key ON departments (api_key_hash);

CREATE TABLE subscriptions (
    id               uuid PRIMARY KEY,
    department_code  text COLLATE "C" NOT NULL REFERENCES departments (code),
    change_types     text NOT NULL,           -- JSON array
    regions          text NOT NULL,           -- JSON array of region codes, any level
    fields           text NOT NULL,           -- JSON array of person field names
    purpose          text NOT NULL,
    status           text NOT NULL,           -- active | ended
    version          integer NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX subscriptions_department ON subscriptions (department_code);

-- Every change to an entitlement (before and after) and every read of people by a department.
CREATE TABLE audit_log (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at               timestamptz NOT NULL,
    actor            text NOT NULL,
    remote_address   text,
    department_code  text COLLATE "C",
    subscription_id  uuid,
    action           text NOT NULL,
    before           text,
    after            text
);
CREATE INDEX audit_log_department ON audit_log (department_code, id);

-- How far the register's change log has been projected.
CREATE TABLE projection_position (
    name           text PRIMARY KEY,
    last_sequence  bigint NOT NULL
);
INSERT INTO projection_position (name, last_sequence) VALUES ('change-log', 0);

CREATE TABLE deliveries (
    department_code    text COLLATE "C" NOT NULL,
    sequence           bigint NOT NULL,
    registry_sequence  bigint NOT NULL,
    subscription_id    uuid NOT NULL,
    person_id          uuid NOT NULL,
    event_type         text NOT NULL,         -- the CloudEvent's type, also the AMQP message type
    event              text NOT NULL,         -- the CloudEvent exactly as delivered
    created_at         timestamptz NOT NULL,
    webhook_state      text,                  -- null (no webhook) | pending | delivered | dead | held
    webhook_attempts   integer NOT NULL DEFAULT 0,
    webhook_error      text,
    webhook_at         timestamptz,
    PRIMARY KEY (department_code, sequence)
);
CREATE INDEX deliveries_registry_sequence ON deliveries (registry_sequence);
CREATE INDEX deliveries_webhook_pending ON deliveries (department_code, sequence) WHERE webhook_state = 'pending';
CREATE INDEX deliveries_webhook_parked ON deliveries (department_code, person_id) WHERE webhook_state IN ('dead', 'held');

-- The last sequence confirmed by the broker into each department's queue.
CREATE TABLE amqp_cursors (
    department_code  text COLLATE "C" PRIMARY KEY,
    last_sequence    bigint NOT NULL,
    updated_at       timestamptz NOT NULL
);
