-- SQLite translation of the PostgreSQL script; keep the two in step.
-- Records departments push in (docs/exchange-inbound.md). One row per record the exchange took: it is
-- the outbox of the registry command it became (state 'queued' until the relay has sent it), the review
-- queue ('held'), and what a department reads back by its own record id. A record refused over HTTP is
-- answered and never stored; one refused over AMQP (where nobody waits for an answer) is stored as
-- 'refused' with the problem and without its content, so that the department can read why.

CREATE TABLE inbound_records (
    id               text PRIMARY KEY,          -- the exchange's inbound id = the registry command id
    department_code  text NOT NULL REFERENCES departments (code),
    record_id        text NOT NULL,             -- the department's own reference
    kind             text NOT NULL,             -- birth | death | move-in | ... (InboundKinds)
    channel          text NOT NULL,             -- http | amqp
    payload          text,                      -- the record as taken (JSON); null when refused
    state            text NOT NULL,             -- queued | sent | applied | rejected | held | dismissed | refused
    person_id        text,                      -- the person matched (or, once applied, the person changed)
    match_kind       text,                      -- id-number | name-sex-birth-region | new-person; null: none
    command_type     text,
    command          text,                      -- the ApplyRegistryCommand (JSON), sent as is
    reason_rule      text,                      -- why it was held: inbound.conflict.not-living, ...
    reason_field     text,
    reason           text,
    refusal          text,                      -- refused over AMQP: the problem details (JSON)
    answer           text,                      -- the registry's RegistryCommandAnswered (JSON)
    received_at      text NOT NULL,
    sent_at          text,
    answered_at      text,
    decision         text,                      -- approved | dismissed (review)
    decision_reason  text,
    decided_at       text,
    decided_by       text,
    UNIQUE (department_code, record_id)
);
CREATE INDEX inbound_records_queued ON inbound_records (received_at, id) WHERE state = 'queued';
CREATE INDEX inbound_records_held ON inbound_records (received_at, id) WHERE state = 'held';
