CREATE TABLE accounts (
    user_name       NVARCHAR (200) COLLATE Latin1_General_100_BIN2 PRIMARY KEY,
    display_name    NVARCHAR (MAX) NOT NULL,
    role            NVARCHAR (MAX) NOT NULL,
    community_code  NVARCHAR (200) COLLATE Latin1_General_100_BIN2,
    street_code     NVARCHAR (200) COLLATE Latin1_General_100_BIN2,
    password_hash   NVARCHAR (MAX) NOT NULL,
    failed_sign_ins INT            DEFAULT 0 NOT NULL,
    locked_until    DATETIMEOFFSET,
    disabled        BIT            DEFAULT 0 NOT NULL,
    created_at      DATETIMEOFFSET NOT NULL,
    updated_at      DATETIMEOFFSET NOT NULL
);

CREATE TABLE forms (
    id                 UNIQUEIDENTIFIER PRIMARY KEY,
    community_code     NVARCHAR (200)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    street_code        NVARCHAR (200)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    day                NVARCHAR (200)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    late               BIT              NOT NULL,
    form_type          NVARCHAR (MAX)   NOT NULL,
    state              NVARCHAR (MAX)   NOT NULL,
    revision           INT              NOT NULL,
    person_id          UNIQUEIDENTIFIER,
    expected_version   INT             ,
    data               NVARCHAR (MAX)   NOT NULL,
    note               NVARCHAR (MAX)  ,
    command_id         UNIQUEIDENTIFIER,
    submitted_at       DATETIMEOFFSET  ,
    sent_at            DATETIMEOFFSET  ,
    answered_at        DATETIMEOFFSET  ,
    registry_person_id UNIQUEIDENTIFIER,
    registry_version   INT             ,
    registry_sequence  BIGINT          ,
    registry_event_id  UNIQUEIDENTIFIER,
    rejection          NVARCHAR (MAX)  ,
    withdrawn_reason   NVARCHAR (MAX)  ,
    import_id          UNIQUEIDENTIFIER,
    import_line        INT             ,
    created_by         NVARCHAR (MAX)   NOT NULL,
    created_at         DATETIMEOFFSET   NOT NULL,
    updated_by         NVARCHAR (MAX)   NOT NULL,
    updated_at         DATETIMEOFFSET   NOT NULL
);

CREATE INDEX forms_community_day
    ON forms(community_code, day);

CREATE INDEX forms_street_day
    ON forms(street_code, day);

CREATE UNIQUE INDEX forms_command
    ON forms(command_id) WHERE command_id IS NOT NULL;

CREATE TABLE submissions (
    seq        BIGINT           IDENTITY (1, 1) PRIMARY KEY,
    command_id UNIQUEIDENTIFIER NOT NULL UNIQUE,
    form_id    UNIQUEIDENTIFIER NOT NULL,
    message    NVARCHAR (MAX)   NOT NULL,
    created_at DATETIMEOFFSET   NOT NULL,
    sent_at    DATETIMEOFFSET  
);

CREATE INDEX submissions_unsent
    ON submissions(seq) WHERE sent_at IS NULL;

CREATE TABLE form_events (
    id      BIGINT           IDENTITY (1, 1) PRIMARY KEY,
    form_id UNIQUEIDENTIFIER NOT NULL,
    at      DATETIMEOFFSET   NOT NULL,
    actor   NVARCHAR (MAX)   NOT NULL,
    event   NVARCHAR (MAX)   NOT NULL,
    detail  NVARCHAR (MAX)  
);

CREATE INDEX form_events_form
    ON form_events(form_id, id);

CREATE TABLE closed_days (
    community_code NVARCHAR (200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    day            NVARCHAR (200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    closed_at      DATETIMEOFFSET NOT NULL,
    closed_by      NVARCHAR (MAX) NOT NULL,
    PRIMARY KEY (community_code, day)
);

CREATE TABLE imports (
    id             UNIQUEIDENTIFIER PRIMARY KEY,
    community_code NVARCHAR (200)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    file_sha256    NVARCHAR (200)   NOT NULL,
    file_name      NVARCHAR (MAX)  ,
    rows_total     INT              NOT NULL,
    rows_accepted  INT              NOT NULL,
    rows_rejected  INT              NOT NULL,
    created_by     NVARCHAR (MAX)   NOT NULL,
    created_at     DATETIMEOFFSET   NOT NULL,
    CONSTRAINT imports_file_once UNIQUE (community_code, file_sha256)
);

CREATE TABLE import_rows (
    import_id  UNIQUEIDENTIFIER NOT NULL,
    line       INT              NOT NULL,
    form_type  NVARCHAR (MAX)  ,
    data       NVARCHAR (MAX)   NOT NULL,
    violations NVARCHAR (MAX)   NOT NULL,
    resolved   BIT              DEFAULT 0 NOT NULL,
    PRIMARY KEY (import_id, line)
);

CREATE TABLE audit_log (
    id             BIGINT         IDENTITY (1, 1) PRIMARY KEY,
    at             DATETIMEOFFSET NOT NULL,
    actor          NVARCHAR (MAX) NOT NULL,
    role           NVARCHAR (MAX),
    remote_address NVARCHAR (MAX),
    action         NVARCHAR (MAX) NOT NULL,
    target         NVARCHAR (MAX),
    community_code NVARCHAR (MAX),
    outcome        NVARCHAR (MAX) NOT NULL,
    detail         NVARCHAR (MAX)
);

CREATE INDEX audit_log_at
    ON audit_log(at);
