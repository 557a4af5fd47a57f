CREATE TABLE people (
    person_id              UNIQUEIDENTIFIER PRIMARY KEY,
    version                INT              NOT NULL,
    id_number              NVARCHAR (200)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    name                   NVARCHAR (MAX)   NOT NULL,
    name_key               NVARCHAR (200)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    birth_date             DATE             NOT NULL,
    sex                    NVARCHAR (MAX)   NOT NULL,
    status                 NVARCHAR (MAX)   NOT NULL,
    residence_region_code  NVARCHAR (200)   COLLATE Latin1_General_100_BIN2,
    registered_region_code NVARCHAR (200)   COLLATE Latin1_General_100_BIN2,
    household_id           UNIQUEIDENTIFIER,
    record                 NVARCHAR (MAX)   NOT NULL,
    sequence               BIGINT          
);

CREATE INDEX people_id_number
    ON people(id_number);

CREATE INDEX people_name_birth
    ON people(name_key, birth_date);

CREATE INDEX people_household
    ON people(household_id) WHERE household_id IS NOT NULL;

CREATE TABLE projection_state (
    id                    SMALLINT       PRIMARY KEY CHECK (id = 1),
    snapshot_sequence     BIGINT        ,
    low_watermark         BIGINT         NOT NULL,
    watermark_recorded_at DATETIMEOFFSET,
    built_at              DATETIMEOFFSET
);

INSERT  INTO projection_state (id, snapshot_sequence, low_watermark)
VALUES                        (1, NULL, 0);

CREATE TABLE applied_sequences (
    sequence    BIGINT         PRIMARY KEY,
    recorded_at DATETIMEOFFSET NOT NULL
);
