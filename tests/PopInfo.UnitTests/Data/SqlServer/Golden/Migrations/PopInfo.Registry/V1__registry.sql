CREATE TABLE regions (
    code        NVARCHAR (200) COLLATE Latin1_General_100_BIN2 PRIMARY KEY,
    level       SMALLINT       NOT NULL,
    name        NVARCHAR (MAX) NOT NULL,
    parent_code NVARCHAR (MAX)
);

CREATE TABLE persons (
    id                     UNIQUEIDENTIFIER PRIMARY KEY,
    id_number              NVARCHAR (200)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    version                INT              NOT NULL,
    name                   NVARCHAR (200)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    sex                    NVARCHAR (MAX)   NOT NULL,
    birth_date             DATE             NOT NULL,
    residence_type         NVARCHAR (MAX)   NOT NULL,
    status                 NVARCHAR (MAX)   NOT NULL,
    residence_region_code  NVARCHAR (200)   COLLATE Latin1_General_100_BIN2,
    registered_region_code NVARCHAR (200)   COLLATE Latin1_General_100_BIN2,
    household_id           UNIQUEIDENTIFIER,
    change_type            NVARCHAR (MAX)   NOT NULL,
    record                 NVARCHAR (MAX)   NOT NULL,
    occurred_at            DATETIMEOFFSET   NOT NULL,
    recorded_at            DATETIMEOFFSET   NOT NULL,
    CONSTRAINT persons_id_number_unique UNIQUE (id_number)
);

CREATE INDEX persons_name
    ON persons(name);

CREATE INDEX persons_residence_region
    ON persons(residence_region_code);

CREATE INDEX persons_household
    ON persons(household_id) WHERE household_id IS NOT NULL;

CREATE TABLE person_history (
    person_id     UNIQUEIDENTIFIER NOT NULL,
    version       INT              NOT NULL,
    change_type   NVARCHAR (MAX)   NOT NULL,
    record        NVARCHAR (MAX)   NOT NULL,
    occurred_at   DATETIMEOFFSET   NOT NULL,
    recorded_at   DATETIMEOFFSET   NOT NULL,
    superseded_at DATETIMEOFFSET   NOT NULL,
    PRIMARY KEY (person_id, version)
);

CREATE TABLE households (
    id          UNIQUEIDENTIFIER PRIMARY KEY,
    number      NVARCHAR (200)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    address     NVARCHAR (MAX)   NOT NULL,
    region_code NVARCHAR (200)   NOT NULL,
    created_at  DATETIMEOFFSET   NOT NULL,
    CONSTRAINT households_number_unique UNIQUE (number)
);

CREATE TABLE change_sequence (
    id            SMALLINT PRIMARY KEY CHECK (id = 1),
    last_sequence BIGINT   NOT NULL
);

INSERT  INTO change_sequence (id, last_sequence)
VALUES                       (1, 0);

CREATE TABLE change_log (
    sequence    BIGINT           PRIMARY KEY,
    event_id    UNIQUEIDENTIFIER NOT NULL,
    person_id   UNIQUEIDENTIFIER NOT NULL,
    change_type NVARCHAR (MAX)   NOT NULL,
    recorded_at DATETIMEOFFSET   NOT NULL,
    event       NVARCHAR (MAX)   NOT NULL,
    CONSTRAINT change_log_event_id_unique UNIQUE (event_id)
);

CREATE INDEX change_log_person
    ON change_log(person_id, sequence);

CREATE TABLE commands (
    command_id   UNIQUEIDENTIFIER PRIMARY KEY,
    command_type NVARCHAR (MAX)   NOT NULL,
    request_hash NVARCHAR (MAX)   NOT NULL,
    status_code  INT              NOT NULL,
    response     NVARCHAR (MAX)   NOT NULL,
    recorded_at  DATETIMEOFFSET   NOT NULL
);

CREATE TABLE relay_position (
    name          NVARCHAR (200) PRIMARY KEY,
    last_sequence BIGINT         NOT NULL,
    updated_at    DATETIMEOFFSET NOT NULL
);

INSERT  INTO relay_position (name, last_sequence, updated_at)
VALUES                      ('person-changed', 0, SYSDATETIMEOFFSET());
