-- SQL Server's translation of PostgreSql/V2__inbound.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- Records departments push in (docs/exchange-inbound.md). One row per record the exchange took: it is
-- the outbox of the registry command it became (state 'queued' until the relay has sent it), the review
-- queue ('held'), and what a department reads back by its own record id. A record refused over HTTP is
-- answered and never stored; one refused over AMQP (where nobody waits for an answer) is stored as
-- 'refused' with the problem and without its content, so that the department can read why.

CREATE TABLE inbound_records (
    id               uniqueidentifier PRIMARY KEY,          -- the exchange's inbound id = the registry command id
    department_code  nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL REFERENCES departments (code),
    record_id        nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL, -- the department's own reference
    kind             nvarchar(max) NOT NULL,             -- birth | death | move-in | ... (InboundKinds)
    channel          nvarchar(max) NOT NULL,             -- http | amqp
    payload          nvarchar(max),                      -- the record as taken (JSON); null when refused
    state            nvarchar(max) NOT NULL,             -- queued | sent | applied | rejected | held | dismissed | refused
    person_id        uniqueidentifier,                      -- the person matched (or, once applied, the person changed)
    match_kind       nvarchar(max),                      -- id-number | name-sex-birth-region | new-person; null: none
    command_type     nvarchar(max),
    command          nvarchar(max),                      -- the ApplyRegistryCommand (JSON), sent as is
    reason_rule      nvarchar(max),                      -- why it was held: inbound.conflict.not-living, ...
    reason_field     nvarchar(max),
    reason           nvarchar(max),
    refusal          nvarchar(max),                      -- refused over AMQP: the problem details (JSON)
    answer           nvarchar(max),                      -- the registry's RegistryCommandAnswered (JSON)
    received_at      datetimeoffset NOT NULL,
    sent_at          datetimeoffset,
    answered_at      datetimeoffset,
    decision         nvarchar(max),                      -- approved | dismissed (review)
    decision_reason  nvarchar(max),
    decided_at       datetimeoffset,
    decided_by       nvarchar(max),
    UNIQUE (department_code, record_id)
);
CREATE INDEX inbound_records_queued ON inbound_records (received_at, id) WHERE state = 'queued';
CREATE INDEX inbound_records_held ON inbound_records (received_at, id) WHERE state = 'held';
