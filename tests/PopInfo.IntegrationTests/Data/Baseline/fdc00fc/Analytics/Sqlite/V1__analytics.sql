-- SQLite translation of the PostgreSQL script; keep the two in step.
-- Online decision analysis: the register's persons, version by version, reduced to what tables are built
-- from — never a name, an identity number, an address or a phone — and how far the projection has applied
-- the register's change log. docs/analytics.md.

CREATE TABLE person_versions (
    person_id             text NOT NULL,
    version               integer NOT NULL,
    change_type           text NOT NULL,
    occurred_at           text NOT NULL,
    recorded_at           text NOT NULL,
    status                text NOT NULL,
    residence_region_code text,
    sex                   text NOT NULL,
    birth_date            text NOT NULL,
    residence_type        text NOT NULL,
    education             text,
    marital_status        text,
    ethnicity             text NOT NULL,
    household_id          text,
    origin_region_code    text,
    migrant_reason        text,
    sequence              integer,
    PRIMARY KEY (person_id, version)
) WITHOUT ROWID;

CREATE TABLE projection_state (
    id                 integer PRIMARY KEY CHECK (id = 1),
    snapshot_sequence  integer,
    low_watermark      integer NOT NULL,
    watermark_recorded_at text,
    built_at           text
);
INSERT INTO projection_state (id, snapshot_sequence, low_watermark) VALUES (1, NULL, 0);

CREATE TABLE applied_sequences (
    sequence    integer PRIMARY KEY,
    recorded_at text NOT NULL
);

CREATE TABLE cell_key_secret (
    id         integer PRIMARY KEY CHECK (id = 1),
    secret     text NOT NULL,
    created_at text NOT NULL
);

CREATE TABLE query_log (
    id      integer PRIMARY KEY AUTOINCREMENT,
    at      text NOT NULL,
    caller  text NOT NULL,
    kind    text NOT NULL,
    query   text NOT NULL
);

CREATE TABLE data_protection_keys (
    name        TEXT PRIMARY KEY,
    xml         TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- Rate-limit counters shared by every instance of the service (PopInfo.ServiceDefaults RateLimitCounter): one row per
-- limit, hashed key and fixed window (Unix seconds); ended windows are deleted by expires_at.
CREATE TABLE rate_limit_windows (
    limit_name    TEXT    NOT NULL,
    partition_key TEXT    NOT NULL,
    window_start  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    hits          INTEGER NOT NULL,
    PRIMARY KEY (limit_name, partition_key, window_start)
) WITHOUT ROWID;
CREATE INDEX rate_limit_windows_expires ON rate_limit_windows (expires_at);
