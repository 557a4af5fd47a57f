-- The population register, embedded mode (file data/registry.db). Same tables as PostgreSQL;
-- uuids are TEXT (Microsoft.Data.Sqlite binds a Guid as upper-case text), dates and times are
-- ISO-8601 TEXT in UTC, JSON is TEXT.

CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    level       INTEGER NOT NULL,
    name        TEXT NOT NULL,
    parent_code TEXT
);

CREATE TABLE persons (
    id                     TEXT PRIMARY KEY,
    id_number              TEXT NOT NULL,
    version                INTEGER NOT NULL,
    name                   TEXT NOT NULL,
    sex                    TEXT NOT NULL,
    birth_date             TEXT NOT NULL,
    residence_type         TEXT NOT NULL,
    status                 TEXT NOT NULL,
    residence_region_code  TEXT,
    registered_region_code TEXT,
    household_id           TEXT,
    change_type            TEXT NOT NULL,
    record                 TEXT NOT NULL,
    occurred_at            TEXT NOT NULL,
    recorded_at            TEXT NOT NULL,
    CONSTRAINT persons_id_number_unique UNIQUE (id_number)
);
CREATE INDEX persons_name ON persons (name);
CREATE INDEX persons_residence_region ON persons (residence_region_code);
CREATE INDEX persons_household ON persons (household_id) WHERE household_id IS NOT NULL;

CREATE TABLE person_history (
    person_id     TEXT NOT NULL,
    version       INTEGER NOT NULL,
    change_type   TEXT NOT NULL,
    record        TEXT NOT NULL,
    occurred_at   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    superseded_at TEXT NOT NULL,
    PRIMARY KEY (person_id, version)
);

CREATE TABLE households (
    id          TEXT PRIMARY KEY,
    number      TEXT NOT NULL,
    address     TEXT NOT NULL,
    region_code TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    CONSTRAINT households_number_unique UNIQUE (number)
);

CREATE TABLE change_sequence (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    last_sequence INTEGER NOT NULL
);
INSERT INTO change_sequence (id, last_sequence) VALUES (1, 0);

CREATE TABLE change_log (
    sequence    INTEGER PRIMARY KEY,
    event_id    TEXT NOT NULL,
    person_id   TEXT NOT NULL,
    change_type TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    event       TEXT NOT NULL,
    CONSTRAINT change_log_event_id_unique UNIQUE (event_id)
);
CREATE INDEX change_log_person ON change_log (person_id, sequence);

CREATE TABLE commands (
    command_id   TEXT PRIMARY KEY,
    command_type TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code  INTEGER NOT NULL,
    response     TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);

CREATE TABLE relay_position (
    name          TEXT PRIMARY KEY,
    last_sequence INTEGER NOT NULL,
    updated_at    TEXT NOT NULL
);
INSERT INTO relay_position (name, last_sequence, updated_at) VALUES ('person-changed', 0, strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'));
