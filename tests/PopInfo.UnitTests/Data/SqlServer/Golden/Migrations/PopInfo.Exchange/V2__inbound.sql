CREATE TABLE inbound_records (
    id              UNIQUEIDENTIFIER PRIMARY KEY,
    department_code NVARCHAR (200)   COLLATE Latin1_General_100_BIN2 NOT NULL FOREIGN KEY REFERENCES departments (code),
    record_id       NVARCHAR (200)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    kind            NVARCHAR (MAX)   NOT NULL,
    channel         NVARCHAR (MAX)   NOT NULL,
    payload         NVARCHAR (MAX)  ,
    state           NVARCHAR (MAX)   NOT NULL,
    person_id       UNIQUEIDENTIFIER,
    match_kind      NVARCHAR (MAX)  ,
    command_type    NVARCHAR (MAX)  ,
    command         NVARCHAR (MAX)  ,
    reason_rule     NVARCHAR (MAX)  ,
    reason_field    NVARCHAR (MAX)  ,
    reason          NVARCHAR (MAX)  ,
    refusal         NVARCHAR (MAX)  ,
    answer          NVARCHAR (MAX)  ,
    received_at     DATETIMEOFFSET   NOT NULL,
    sent_at         DATETIMEOFFSET  ,
    answered_at     DATETIMEOFFSET  ,
    decision        NVARCHAR (MAX)  ,
    decision_reason NVARCHAR (MAX)  ,
    decided_at      DATETIMEOFFSET  ,
    decided_by      NVARCHAR (MAX)  ,
    UNIQUE (department_code, record_id)
);

CREATE INDEX inbound_records_queued
    ON inbound_records(received_at, id) WHERE state = 'queued';

CREATE INDEX inbound_records_held
    ON inbound_records(received_at, id) WHERE state = 'held';
