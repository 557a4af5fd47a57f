-- SQL Server's translation of PostgreSql/V1__collection.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- The community collection desk (schema "collection"): accounts, forms, their submissions to the
-- registry (the outbox), closed days, CSV imports and the audit log.

CREATE TABLE accounts (
    user_name       nvarchar(200) COLLATE Latin1_General_100_BIN2 PRIMARY KEY,
    display_name    nvarchar(max) NOT NULL,
    role            nvarchar(max) NOT NULL,
    community_code  nvarchar(200) COLLATE Latin1_General_100_BIN2,
    street_code     nvarchar(200) COLLATE Latin1_General_100_BIN2,
    password_hash   nvarchar(max) NOT NULL,
    failed_sign_ins int NOT NULL DEFAULT 0,
    locked_until    datetimeoffset,
    disabled        bit NOT NULL DEFAULT 0,
    created_at      datetimeoffset NOT NULL,
    updated_at      datetimeoffset NOT NULL
);

CREATE TABLE forms (
    id                  uniqueidentifier PRIMARY KEY,
    community_code      nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    street_code         nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    day                 nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    late                bit NOT NULL,
    form_type           nvarchar(max) NOT NULL,
    state               nvarchar(max) NOT NULL,
    revision            int NOT NULL,
    person_id           uniqueidentifier,
    expected_version    int,
    data                nvarchar(max) NOT NULL,
    note                nvarchar(max),
    command_id          uniqueidentifier,
    submitted_at        datetimeoffset,
    sent_at             datetimeoffset,
    answered_at         datetimeoffset,
    registry_person_id  uniqueidentifier,
    registry_version    int,
    registry_sequence   bigint,
    registry_event_id   uniqueidentifier,
    rejection           nvarchar(max),
    withdrawn_reason    nvarchar(max),
    import_id           uniqueidentifier,
    import_line         int,
    created_by          nvarchar(max) NOT NULL,
    created_at          datetimeoffset NOT NULL,
    updated_by          nvarchar(max) NOT NULL,
    updated_at          datetimeoffset NOT NULL
);
CREATE INDEX forms_community_day ON forms (community_code, day);
CREATE INDEX forms_street_day ON forms (street_code, day);
CREATE UNIQUE INDEX forms_command ON forms (command_id) WHERE command_id IS NOT NULL;

-- The outbox: one row per submission; the relay sends those not yet sent, oldest first.
CREATE TABLE submissions (
    seq        bigint IDENTITY(1,1) PRIMARY KEY,
    command_id uniqueidentifier NOT NULL UNIQUE,
    form_id    uniqueidentifier NOT NULL,
    message    nvarchar(max) NOT NULL,
    created_at datetimeoffset NOT NULL,
    sent_at    datetimeoffset
);
CREATE INDEX submissions_unsent ON submissions (seq) WHERE sent_at IS NULL;

CREATE TABLE form_events (
    id      bigint IDENTITY(1,1) PRIMARY KEY,
    form_id uniqueidentifier NOT NULL,
    at      datetimeoffset NOT NULL,
    actor   nvarchar(max) NOT NULL,
    event   nvarchar(max) NOT NULL,
    detail  nvarchar(max)
);
CREATE INDEX form_events_form ON form_events (form_id, id);

CREATE TABLE closed_days (
    community_code nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    day            nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    closed_at      datetimeoffset NOT NULL,
    closed_by      nvarchar(max) NOT NULL,
    PRIMARY KEY (community_code, day)
);

CREATE TABLE imports (
    id             uniqueidentifier PRIMARY KEY,
    community_code nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    file_sha256    nvarchar(200) NOT NULL,
    file_name      nvarchar(max),
    rows_total     int NOT NULL,
    rows_accepted  int NOT NULL,
    rows_rejected  int NOT NULL,
    created_by     nvarchar(max) NOT NULL,
    created_at     datetimeoffset NOT NULL,
    CONSTRAINT imports_file_once UNIQUE (community_code, file_sha256)
);

CREATE TABLE import_rows (
    import_id  uniqueidentifier NOT NULL,
    line       int NOT NULL,
    form_type  nvarchar(max),
    data       nvarchar(max) NOT NULL,
    violations nvarchar(max) NOT NULL,
    resolved   bit NOT NULL DEFAULT 0,
    PRIMARY KEY (import_id, line)
);

CREATE TABLE audit_log (
    id             bigint IDENTITY(1,1) PRIMARY KEY,
    at             datetimeoffset NOT NULL,
    actor          nvarchar(max) NOT NULL,
    role           nvarchar(max),
    remote_address nvarchar(max),
    action         nvarchar(max) NOT NULL,
    target         nvarchar(max),
    community_code nvarchar(max),
    outcome        nvarchar(max) NOT NULL,
    detail         nvarchar(max)
);
CREATE INDEX audit_log_at ON audit_log (at);
