CREATE TABLE departments (
    code           NVARCHAR (200) COLLATE Latin1_General_100_BIN2 PRIMARY KEY,
    name           NVARCHAR (MAX) NOT NULL,
    contact        NVARCHAR (MAX) NOT NULL,
    status         NVARCHAR (MAX) NOT NULL,
    inbound_kinds  NVARCHAR (MAX) NOT NULL,
    webhook_url    NVARCHAR (MAX),
    webhook_secret NVARCHAR (MAX),
    api_key_hash   NVARCHAR (200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    amqp_user      NVARCHAR (MAX),
    last_sequence  BIGINT         DEFAULT 0 NOT NULL,
    version        INT            NOT NULL,
    created_at     DATETIMEOFFSET NOT NULL,
    updated_at     DATETIMEOFFSET NOT NULL
);

CREATE UNIQUE INDEX departments_api_key
    ON departments(api_key_hash);

CREATE TABLE subscriptions (
    id              UNIQUEIDENTIFIER PRIMARY KEY,
    department_code NVARCHAR (200)   COLLATE Latin1_General_100_BIN2 NOT NULL FOREIGN KEY REFERENCES departments (code),
    change_types    NVARCHAR (MAX)   NOT NULL,
    regions         NVARCHAR (MAX)   NOT NULL,
    fields          NVARCHAR (MAX)   NOT NULL,
    purpose         NVARCHAR (MAX)   NOT NULL,
    status          NVARCHAR (MAX)   NOT NULL,
    version         INT              NOT NULL,
    created_at      DATETIMEOFFSET   NOT NULL,
    updated_at      DATETIMEOFFSET   NOT NULL
);

CREATE INDEX subscriptions_department
    ON subscriptions(department_code);

CREATE TABLE audit_log (
    id              BIGINT           IDENTITY (1, 1) PRIMARY KEY,
    at              DATETIMEOFFSET   NOT NULL,
    actor           NVARCHAR (MAX)   NOT NULL,
    remote_address  NVARCHAR (MAX)  ,
    department_code NVARCHAR (200)   COLLATE Latin1_General_100_BIN2,
    subscription_id UNIQUEIDENTIFIER,
    action          NVARCHAR (MAX)   NOT NULL,
    before          NVARCHAR (MAX)  ,
    after           NVARCHAR (MAX)  
);

CREATE INDEX audit_log_department
    ON audit_log(department_code, id);

CREATE TABLE projection_position (
    name          NVARCHAR (200) PRIMARY KEY,
    last_sequence BIGINT         NOT NULL
);

INSERT  INTO projection_position (name, last_sequence)
VALUES                           ('change-log', 0);

CREATE TABLE deliveries (
    department_code   NVARCHAR (200)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    sequence          BIGINT           NOT NULL,
    registry_sequence BIGINT           NOT NULL,
    subscription_id   UNIQUEIDENTIFIER NOT NULL,
    person_id         UNIQUEIDENTIFIER NOT NULL,
    event_type        NVARCHAR (MAX)   NOT NULL,
    event             NVARCHAR (MAX)   NOT NULL,
    created_at        DATETIMEOFFSET   NOT NULL,
    webhook_state     NVARCHAR (MAX)  ,
    webhook_attempts  INT              DEFAULT 0 NOT NULL,
    webhook_error     NVARCHAR (MAX)  ,
    webhook_at        DATETIMEOFFSET  ,
    PRIMARY KEY (department_code, sequence)
);

CREATE INDEX deliveries_registry_sequence
    ON deliveries(registry_sequence);

CREATE INDEX deliveries_webhook_pending
    ON deliveries(department_code, sequence) WHERE webhook_state = 'pending';

CREATE INDEX deliveries_webhook_parked
    ON deliveries(department_code, person_id) WHERE webhook_state IN ('dead', 'held');

CREATE TABLE amqp_cursors (
    department_code NVARCHAR (200) COLLATE Latin1_General_100_BIN2 PRIMARY KEY,
    last_sequence   BIGINT         NOT NULL,
    updated_at      DATETIMEOFFSET NOT NULL
);
