-- SQL Server's translation of PostgreSql/V1__analytics.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- Online decision analysis (schema "analytics"): the register's persons, version by version, reduced to what
-- tables are built from — never a name, an identity number, an address or a phone — and how far the
-- projection has applied the register's change log. docs/analytics.md.

-- One row per version of a person. Codes as the register has them; the engine turns them into categories.
CREATE TABLE person_versions (
    person_id             uniqueidentifier NOT NULL,
    version               int NOT NULL,
    change_type           nvarchar(max) NOT NULL,
    occurred_at           datetimeoffset NOT NULL,   -- when it happened (valid time)
    recorded_at           datetimeoffset NOT NULL,   -- when the register recorded it (transaction time)
    status                nvarchar(max) NOT NULL,
    residence_region_code nvarchar(200) COLLATE Latin1_General_100_BIN2,
    sex                   nvarchar(max) NOT NULL,
    birth_date            date NOT NULL,
    residence_type        nvarchar(max) NOT NULL,
    education             nvarchar(max),
    marital_status        nvarchar(max),
    ethnicity             nvarchar(max) NOT NULL,
    household_id          uniqueidentifier,
    origin_region_code    nvarchar(max),
    migrant_reason        nvarchar(max),
    sequence              bigint,                 -- the change-log entry it came from; null when from a snapshot
    PRIMARY KEY (person_id, version)
);

-- One row: the snapshot the projection was built from and its gap-free low watermark (every change-log
-- sequence up to it applied).
CREATE TABLE projection_state (
    id                 smallint PRIMARY KEY CHECK (id = 1),
    snapshot_sequence  bigint,                    -- null: never built
    low_watermark      bigint NOT NULL,
    watermark_recorded_at datetimeoffset,            -- when the register recorded the entry at the watermark
    built_at           datetimeoffset
);
INSERT INTO projection_state (id, snapshot_sequence, low_watermark) VALUES (1, NULL, 0);

-- Sequences applied above the low watermark (deliveries overtake each other across persons); the watermark
-- moves over them as the gaps below fill.
CREATE TABLE applied_sequences (
    sequence    bigint PRIMARY KEY,
    recorded_at datetimeoffset NOT NULL
);

-- The secret the record keys of the cell-key method derive from, protected with the service's key ring.
-- Kept, so that a cell is published with the same value after a restart.
CREATE TABLE cell_key_secret (
    id         smallint PRIMARY KEY CHECK (id = 1),
    secret     nvarchar(max) NOT NULL,
    created_at datetimeoffset NOT NULL
);

-- Every table a planner or the open-data endpoint asked for (who, what, when): append-only.
CREATE TABLE query_log (
    id      bigint IDENTITY(1,1) PRIMARY KEY,
    at      datetimeoffset NOT NULL,
    caller  nvarchar(max) NOT NULL,
    kind    nvarchar(max) NOT NULL,
    query   nvarchar(max) NOT NULL
);

-- The service's Data Protection key ring (docs/security.md, "Secrets at rest"): it wraps the cell-key secret.
-- Only ever added to: the runtime role may read and insert, not change or remove.
CREATE TABLE data_protection_keys (
    name        nvarchar(200) PRIMARY KEY,
    xml         nvarchar(max) NOT NULL,
    created_at  datetimeoffset NOT NULL
);

-- Rate-limit counters shared by every instance of the service (PopInfo.ServiceDefaults RateLimitCounter): one row per
-- limit, hashed key and fixed window (Unix seconds); ended windows are deleted by expires_at.
CREATE TABLE rate_limit_windows (
    limit_name    nvarchar(200)    NOT NULL,
    partition_key nvarchar(200)    NOT NULL,
    window_start  bigint  NOT NULL,
    expires_at    bigint  NOT NULL,
    hits          int NOT NULL,
    PRIMARY KEY (limit_name, partition_key, window_start)
);
CREATE INDEX rate_limit_windows_expires ON rate_limit_windows (expires_at);
