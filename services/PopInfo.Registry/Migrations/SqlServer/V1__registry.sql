-- SQL Server's translation of PostgreSql/V1__registry.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- The population register (schema "registry"; the connection's search_path points here).
-- Codes and identity numbers are ASCII and compared byte by byte: COLLATE "C" says so, and lets
-- PostgreSQL sort them without the locale (index builds of the bulk load are several times faster).

CREATE TABLE regions (
    code        nvarchar(200) COLLATE Latin1_General_100_BIN2 PRIMARY KEY,
    level       smallint NOT NULL,            -- 1 city, 2 district, 3 street/town, 4 community/village
    name        nvarchar(max) NOT NULL,
    parent_code nvarchar(max)
);

-- The current version of every person. Searchable fields are columns; the full record is "record".
CREATE TABLE persons (
    id                     uniqueidentifier PRIMARY KEY,
    id_number              nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    version                int NOT NULL,
    name                   nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    sex                    nvarchar(max) NOT NULL,
    birth_date             date NOT NULL,
    residence_type         nvarchar(max) NOT NULL,
    status                 nvarchar(max) NOT NULL,
    residence_region_code  nvarchar(200) COLLATE Latin1_General_100_BIN2,
    registered_region_code nvarchar(200) COLLATE Latin1_General_100_BIN2,
    household_id           uniqueidentifier,
    change_type            nvarchar(max) NOT NULL,
    record                 nvarchar(max) NOT NULL,
    occurred_at            datetimeoffset NOT NULL,
    recorded_at            datetimeoffset NOT NULL,
    CONSTRAINT persons_id_number_unique UNIQUE (id_number)
);
CREATE INDEX persons_name ON persons (name);
CREATE INDEX persons_residence_region ON persons (residence_region_code);
CREATE INDEX persons_household ON persons (household_id) WHERE household_id IS NOT NULL;

-- Every superseded version: with the current row in "persons", the whole history of a person.
CREATE TABLE person_history (
    person_id     uniqueidentifier NOT NULL,
    version       int NOT NULL,
    change_type   nvarchar(max) NOT NULL,
    record        nvarchar(max) NOT NULL,
    occurred_at   datetimeoffset NOT NULL,
    recorded_at   datetimeoffset NOT NULL,
    superseded_at datetimeoffset NOT NULL,
    PRIMARY KEY (person_id, version)
);

CREATE TABLE households (
    id          uniqueidentifier PRIMARY KEY,
    number      nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    address     nvarchar(max) NOT NULL,
    region_code nvarchar(200) NOT NULL,
    created_at  datetimeoffset NOT NULL,
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
    event_id    uniqueidentifier NOT NULL,
    person_id   uniqueidentifier NOT NULL,
    change_type nvarchar(max) NOT NULL,
    recorded_at datetimeoffset NOT NULL,
    event       nvarchar(max) NOT NULL,
    CONSTRAINT change_log_event_id_unique UNIQUE (event_id)
);
CREATE INDEX change_log_person ON change_log (person_id, sequence);

-- Applied commands by id: the same command id twice applies once and answers the same.
CREATE TABLE commands (
    command_id   uniqueidentifier PRIMARY KEY,
    command_type nvarchar(max) NOT NULL,
    request_hash nvarchar(max) NOT NULL,
    status_code  int NOT NULL,
    response     nvarchar(max) NOT NULL,          -- text, not jsonb: a repeat must get the very same bytes
    recorded_at  datetimeoffset NOT NULL
);

-- How far the relay has published the change log.
CREATE TABLE relay_position (
    name          nvarchar(200) PRIMARY KEY,
    last_sequence bigint NOT NULL,
    updated_at    datetimeoffset NOT NULL
);
INSERT INTO relay_position (name, last_sequence, updated_at) VALUES ('person-changed', 0, SYSDATETIMEOFFSET());
