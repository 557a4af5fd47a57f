-- The population register (schema "registry"; the connection's search_path points here).
-- Codes and identity numbers are ASCII and compared byte by byte: COLLATE "C" says so, and lets
-- PostgreSQL sort them without the locale (index builds of the bulk load are several times faster).

CREATE TABLE regions (
    code        text COLLATE "C" PRIMARY KEY,
    level       smallint NOT NULL,            -- 1 city, 2 district, 3 street/town, 4 community/village
    name        text NOT NULL,
    parent_code text
);

-- The current version of every person. Searchable fields are columns; the full record is "record".
CREATE TABLE persons (
    id                     uuid PRIMARY KEY,
    id_number              text COLLATE "C" NOT NULL,
    version                integer NOT NULL,
    name                   text COLLATE "C" NOT NULL,
    sex                    text NOT NULL,
    birth_date             date NOT NULL,
    residence_type         text NOT NULL,
    status                 text NOT NULL,
    residence_region_code  text COLLATE "C",
    registered_region_code text COLLATE "C",
    household_id           uuid,
    change_type            text NOT NULL,
    record                 jsonb NOT NULL,
    occurred_at            timestamptz NOT NULL,
    recorded_at            timestamptz NOT NULL,
    CONSTRAINT persons_id_number_unique UNIQUE (id_number)
);
CREATE INDEX persons_name ON persons (name);
CREATE INDEX persons_residence_region ON persons (residence_region_code);
CREATE INDEX persons_household ON persons (household_id) WHERE household_id IS NOT NULL;

-- Every superseded version: with the current row in "persons", the whole history of a person.
CREATE TABLE person_history (
    person_id     uuid NOT NULL,
    version       integer NOT NULL,
    change_type   text NOT NULL,
    record        jsonb NOT NULL,
    occurred_at   timestamptz NOT NULL,
    recorded_at   timestamptz NOT NULL,
    superseded_at timestamptz NOT NULL,
    PRIMARY KEY (person_id, version)
);

CREATE TABLE households (
    id          uuid PRIMARY KEY,
    number      text COLLATE "C" NOT NULL,
    address     text NOT NULL,
    region_code text NOT NULL,
    created_at  timestamptz NOT NULL,
    CONSTRAINT households_number_unique UNIQUE (number)
);

-- One row: the last sequence number handed out. Taking the next number locks this row until the
-- transaction commits, so entries commit in sequence order and the feed never skips one (ADR 0001).
CREATE TABLE change_sequence (
    id            smallint PRIMARY KEY CHECK (id = 1),
    last_sequence bigint NOT NULL
);
INSERT INTO change_sequence (id, last_sequence) VALUES (1, 0);

-- The change log: the outbox of the relay and the feed of GET /api/v1/changes.
CREATE TABLE change_log (
    sequence    bigint PRIMARY KEY,
    event_id    uuid NOT NULL,
    person_id   uuid NOT NULL,
    change_type text NOT NULL,
    recorded_at timestamptz NOT NULL,
    event       jsonb NOT NULL,
    CONSTRAINT change_log_event_id_unique UNIQUE (event_id)
);
CREATE INDEX change_log_person ON change_log (person_id, sequence);

-- Applied commands by id: the same command id twice applies once and answers the same.
CREATE TABLE commands (
    command_id   uuid PRIMARY KEY,
    command_type text NOT NULL,
    request_hash text NOT NULL,
    status_code  integer NOT NULL,
    response     text NOT NULL,          -- text, not jsonb: a repeat must get the very same bytes
    recorded_at  timestamptz NOT NULL
);

-- How far the relay has published the change log.
CREATE TABLE relay_position (
    name          text PRIMARY KEY,
    last_sequence bigint NOT NULL,
    updated_at    timestamptz NOT NULL
);
INSERT INTO relay_position (name, last_sequence, updated_at) VALUES ('person-changed', 0, now());
