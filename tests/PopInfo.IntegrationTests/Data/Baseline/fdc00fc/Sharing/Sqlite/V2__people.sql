-- The sharing service's read model: see the PostgreSQL migration of the same version.

CREATE TABLE people (
    person_id              text PRIMARY KEY,
    version                integer NOT NULL,
    id_number              text NOT NULL,
    name                   text NOT NULL,
    name_key               text NOT NULL,
    birth_date             text NOT NULL,
    sex                    text NOT NULL,
    status                 text NOT NULL,
    residence_region_code  text,
    registered_region_code text,
    household_id           text,
    record                 text NOT NULL,
    sequence               integer
);
CREATE INDEX people_id_number ON people (id_number);
CREATE INDEX people_name_birth ON people (name_key, birth_date);
CREATE INDEX people_household ON people (household_id) WHERE household_id IS NOT NULL;

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
