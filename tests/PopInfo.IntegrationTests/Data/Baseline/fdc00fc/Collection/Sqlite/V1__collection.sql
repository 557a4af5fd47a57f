-- The community collection desk, embedded mode (file data/collection.db): accounts, forms, their submissions to the
-- registry (the outbox), closed days, CSV imports and the audit log.

CREATE TABLE accounts (
    user_name       TEXT PRIMARY KEY,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL,
    community_code  TEXT,
    street_code     TEXT,
    password_hash   TEXT NOT NULL,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE forms (
    id                  TEXT PRIMARY KEY,
    community_code      TEXT NOT NULL,
    street_code         TEXT NOT NULL,
    day                 TEXT NOT NULL,
    late                INTEGER NOT NULL,
    form_type           TEXT NOT NULL,
    state               TEXT NOT NULL,
    revision            INTEGER NOT NULL,
    person_id           TEXT,
    expected_version    INTEGER,
    data                TEXT NOT NULL,
    note                TEXT,
    command_id          TEXT,
    submitted_at        TEXT,
    sent_at             TEXT,
    answered_at         TEXT,
    registry_person_id  TEXT,
    registry_version    INTEGER,
    registry_sequence   INTEGER,
    registry_event_id   TEXT,
    rejection           TEXT,
    withdrawn_reason    TEXT,
    import_id           TEXT,
    import_line         INTEGER,
    created_by          TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_by          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX forms_community_day ON forms (community_code, day);
CREATE INDEX forms_street_day ON forms (street_code, day);
CREATE UNIQUE INDEX forms_command ON forms (command_id) WHERE command_id IS NOT NULL;

-- The outbox: one row per submission; the relay sends those not yet sent, oldest first.
CREATE TABLE submissions (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    command_id TEXT NOT NULL UNIQUE,
    form_id    TEXT NOT NULL,
    message    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at    TEXT
);
CREATE INDEX submissions_unsent ON submissions (seq) WHERE sent_at IS NULL;

CREATE TABLE form_events (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    form_id TEXT NOT NULL,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    event   TEXT NOT NULL,
    detail  TEXT
);
CREATE INDEX form_events_form ON form_events (form_id, id);

CREATE TABLE closed_days (
    community_code TEXT NOT NULL,
    day            TEXT NOT NULL,
    closed_at      TEXT NOT NULL,
    closed_by      TEXT NOT NULL,
    PRIMARY KEY (community_code, day)
);

CREATE TABLE imports (
    id             TEXT PRIMARY KEY,
    community_code TEXT NOT NULL,
    file_sha256    TEXT NOT NULL,
    file_name      TEXT,
    rows_total     INTEGER NOT NULL,
    rows_accepted  INTEGER NOT NULL,
    rows_rejected  INTEGER NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    CONSTRAINT imports_file_once UNIQUE (community_code, file_sha256)
);

CREATE TABLE import_rows (
    import_id  TEXT NOT NULL,
    line       INTEGER NOT NULL,
    form_type  TEXT,
    data       TEXT NOT NULL,
    violations TEXT NOT NULL,
    resolved   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (import_id, line)
);

CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             TEXT NOT NULL,
    actor          TEXT NOT NULL,
    role           TEXT,
    remote_address TEXT,
    action         TEXT NOT NULL,
    target         TEXT,
    community_code TEXT,
    outcome        TEXT NOT NULL,
    detail         TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
