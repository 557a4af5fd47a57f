-- SQL Server's translation of PostgreSql/V2__people.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- The sharing service's read model (ADR 0003 decision 1): every person of the register at their latest version, kept
-- from the registry's events and rebuilt from its snapshot, and how far the change log is applied. Current state only:
-- verification and look-up are about now. Names, numbers and phones of the whole city: the runtime role alone reads it.

CREATE TABLE people (
    person_id              uniqueidentifier PRIMARY KEY,
    version                int NOT NULL,      -- an older version never overwrites a newer one
    id_number              nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    name                   nvarchar(max) NOT NULL,
    name_key               nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL, -- the name as compared (Verification.NameKey)
    birth_date             date NOT NULL,
    sex                    nvarchar(max) NOT NULL,
    status                 nvarchar(max) NOT NULL,
    residence_region_code  nvarchar(200) COLLATE Latin1_General_100_BIN2,
    registered_region_code nvarchar(200) COLLATE Latin1_General_100_BIN2,
    household_id           uniqueidentifier,
    record                 nvarchar(max) NOT NULL,         -- the whole PersonRecord as the register serialises it (JSON)
    sequence               bigint                 -- the change-log entry it came from; null when from a snapshot
);
-- Not unique: a number corrected on one person and given to another may arrive in either order.
CREATE INDEX people_id_number ON people (id_number);
CREATE INDEX people_name_birth ON people (name_key, birth_date);
CREATE INDEX people_household ON people (household_id) WHERE household_id IS NOT NULL;

-- One row: the snapshot the read model was built from and its gap-free low watermark (every change-log sequence up to
-- it applied). ServiceDefaults/Projections/ProjectionLedger.
CREATE TABLE projection_state (
    id                 smallint PRIMARY KEY CHECK (id = 1),
    snapshot_sequence  bigint,
    low_watermark      bigint NOT NULL,
    watermark_recorded_at datetimeoffset,
    built_at           datetimeoffset
);
INSERT INTO projection_state (id, snapshot_sequence, low_watermark) VALUES (1, NULL, 0);

-- Sequences applied above the low watermark (deliveries overtake each other across persons).
CREATE TABLE applied_sequences (
    sequence    bigint PRIMARY KEY,
    recorded_at datetimeoffset NOT NULL
);
