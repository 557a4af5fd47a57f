CREATE TABLE person_versions (
    person_id             UNIQUEIDENTIFIER NOT NULL,
    version               INT              NOT NULL,
    change_type           NVARCHAR (MAX)   NOT NULL,
    occurred_at           DATETIMEOFFSET   NOT NULL,
    recorded_at           DATETIMEOFFSET   NOT NULL,
    status                NVARCHAR (MAX)   NOT NULL,
    residence_region_code NVARCHAR (200)   COLLATE Latin1_General_100_BIN2,
    sex                   NVARCHAR (MAX)   NOT NULL,
    birth_date            DATE             NOT NULL,
    residence_type        NVARCHAR (MAX)   NOT NULL,
    education             NVARCHAR (MAX)  ,
    marital_status        NVARCHAR (MAX)  ,
    ethnicity             NVARCHAR (MAX)   NOT NULL,
    household_id          UNIQUEIDENTIFIER,
    origin_region_code    NVARCHAR (MAX)  ,
    migrant_reason        NVARCHAR (MAX)  ,
    sequence              BIGINT          ,
    PRIMARY KEY (person_id, version)
);

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

CREATE TABLE cell_key_secret (
    id         SMALLINT       PRIMARY KEY CHECK (id = 1),
    secret     NVARCHAR (MAX) NOT NULL,
    created_at DATETIMEOFFSET NOT NULL
);

CREATE TABLE query_log (
    id     BIGINT         IDENTITY (1, 1) PRIMARY KEY,
    at     DATETIMEOFFSET NOT NULL,
    caller NVARCHAR (MAX) NOT NULL,
    kind   NVARCHAR (MAX) NOT NULL,
    query  NVARCHAR (MAX) NOT NULL
);

CREATE TABLE data_protection_keys (
    name       NVARCHAR (200) PRIMARY KEY,
    xml        NVARCHAR (MAX) NOT NULL,
    created_at DATETIMEOFFSET NOT NULL
);

CREATE TABLE rate_limit_windows (
    limit_name    NVARCHAR (200) NOT NULL,
    partition_key NVARCHAR (200) NOT NULL,
    window_start  BIGINT         NOT NULL,
    expires_at    BIGINT         NOT NULL,
    hits          INT            NOT NULL,
    PRIMARY KEY (limit_name, partition_key, window_start)
);

CREATE INDEX rate_limit_windows_expires
    ON rate_limit_windows(expires_at);
