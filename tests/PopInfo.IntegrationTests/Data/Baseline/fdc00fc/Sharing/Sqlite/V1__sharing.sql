-- SQLite translation of the PostgreSQL script; keep the two in step.
-- The information sharing service: departments' grants and their change trail, the daily quota counters, and the
-- access audit of every person verified or returned. docs/sharing.md, docs/database-roles.md.

CREATE TABLE grants (
    client_id           TEXT PRIMARY KEY,
    operations          TEXT NOT NULL,
    fields              TEXT NOT NULL,
    regions             TEXT NOT NULL,
    purposes            TEXT NOT NULL,
    requests_per_minute INTEGER NOT NULL,
    daily_quota         INTEGER NOT NULL,
    may_tell_not_found  INTEGER NOT NULL,
    status              TEXT NOT NULL,
    version             INTEGER NOT NULL,
    updated_at          TEXT NOT NULL,
    updated_by          TEXT NOT NULL
);

CREATE TABLE grant_changes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             TEXT NOT NULL,
    actor          TEXT NOT NULL,
    remote_address TEXT,
    client_id      TEXT NOT NULL,
    action         TEXT NOT NULL,
    before         TEXT,
    after          TEXT,
    prev_hash      TEXT,
    hash           TEXT
);
CREATE INDEX grant_changes_client ON grant_changes (client_id, id);

CREATE TABLE quota_days (
    client_id TEXT NOT NULL,
    day       TEXT NOT NULL,
    used      INTEGER NOT NULL,
    PRIMARY KEY (client_id, day)
) WITHOUT ROWID;

CREATE TABLE access_audit (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             TEXT NOT NULL,
    request_id     TEXT NOT NULL,
    client_id      TEXT NOT NULL,
    end_user       TEXT,
    operation      TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    case_reference TEXT NOT NULL,
    person_id      TEXT,
    fields         TEXT,
    outcome        TEXT NOT NULL,
    as_of_sequence INTEGER,
    prev_hash      TEXT,
    hash           TEXT
);
CREATE INDEX access_audit_person ON access_audit (person_id, id);
CREATE INDEX access_audit_client ON access_audit (client_id, at);

CREATE TABLE audit_chain_head (
    table_name TEXT PRIMARY KEY,
    last_id    INTEGER NOT NULL,
    last_hash  TEXT NOT NULL
);
INSERT INTO audit_chain_head (table_name, last_id, last_hash) VALUES
    ('grant_changes', 0, '0000000000000000000000000000000000000000000000000000000000000000'),
    ('access_audit', 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE ON audit_chain_head
WHEN NEW.table_name <> OLD.table_name OR NEW.last_id <= OLD.last_id
BEGIN
    SELECT RAISE(ABORT, 'the head of the audit chain only moves forward');
END;

CREATE TABLE rate_limit_windows (
    limit_name    TEXT    NOT NULL,
    partition_key TEXT    NOT NULL,
    window_start  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    hits          INTEGER NOT NULL,
    PRIMARY KEY (limit_name, partition_key, window_start)
) WITHOUT ROWID;
CREATE INDEX rate_limit_windows_expires ON rate_limit_windows (expires_at);
