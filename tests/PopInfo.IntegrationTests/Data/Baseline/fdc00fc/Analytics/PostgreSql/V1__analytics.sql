-- Online decision analysis (schema "analytics"): the register's persons, version by version, reduced to what
-- tables are built from — never a name, an identity number, an address or a phone — and how far the
-- projection has applied the register's change log. docs/analytics.md.

-- One row per version of a person. Codes as the register has them; the engine turns them into categories.
CREATE TABLE person_versions (
    person_id             uuid NOT NULL,
    version               integer NOT NULL,
    change_type           text NOT NULL,
    occurred_at           timestamptz NOT NULL,   -- when it happened (valid time)
    recorded_at           timestamptz NOT NULL,   -- when the register recorded it (transaction time)
    status                text NOT NULL,
    residence_region_code text COLLATE "C",
    sex                   text NOT NULL,
    birth_date            date NOT NULL,
    residence_type        text NOT NULL,
    education             text,
    marital_status        text,
    ethnicity             text NOT NULL,
    household_id          uuid,
    origin_region_code    text,
    migrant_reason        text,
    sequence              bigint,                 -- the change-log entry it came from; null when from a snapshot
    PRIMARY KEY (person_id, version)
);

-- One row: the snapshot the projection was built from and its gap-free low watermark (every change-log
-- sequence up to it applied).
CREATE TABLE projection_state (
    id                 smallint PRIMARY KEY CHECK (id = 1),
    snapshot_sequence  bigint,                    -- null: never built
    low_watermark      bigint NOT NULL,
    watermark_recorded_at timestamptz,            -- when the register recorded the entry at the watermark
    built_at           timestamptz
);
INSERT INTO projection_state (id, snapshot_sequence, low_watermark) VALUES (1, NULL, 0);

-- Sequences applied above the low watermark (deliveries overtake each other across persons); the watermark
-- moves over them as the gaps below fill.
CREATE TABLE applied_sequences (
    sequence    bigint PRIMARY KEY,
    recorded_at timestamptz NOT NULL
);

-- The secret the record keys of the cell-key method derive from, protected with the service's key ring.
-- Kept, so that a cell is published with the same value after a restart.
CREATE TABLE cell_key_secret (
    id         smallint PRIMARY KEY CHECK (id = 1),
    secret     text NOT NULL,
    created_at timestamptz NOT NULL
);

-- Every table a planner or the open-data endpoint asked for (who, what, when): append-only.
CREATE TABLE query_log (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL,
    caller  text NOT NULL,
    kind    text NOT NULL,
    query   text NOT NULL
);

-- The service's Data Protection key ring (docs/security.md, "Secrets at rest"): it wraps the cell-key secret.
-- Only ever added to: the runtime role may read and insert, not change or remove.
CREATE TABLE data_protection_keys (
    name        text PRIMARY KEY,
    xml         text NOT NULL,
    created_at  timestamptz NOT NULL
);

-- Rate-limit counters shared by every instance of the service (PopInfo.ServiceDefaults RateLimitCounter): one row per
-- limit, hashed key and fixed window (Unix seconds); ended windows are deleted by expires_at.
CREATE TABLE rate_limit_windows (
    limit_name    text    NOT NULL,
    partition_key text    NOT NULL,
    window_start  bigint  NOT NULL,
    expires_at    bigint  NOT NULL,
    hits          integer NOT NULL,
    PRIMARY KEY (limit_name, partition_key, window_start)
);
CREATE INDEX rate_limit_windows_expires ON rate_limit_windows (expires_at);
