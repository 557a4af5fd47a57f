-- SQL Server's translation of PostgreSql/V8__registry_command_outbox.sql (docs/adr/0009-sql-server.md): text is nvarchar
-- (sized where it is a key or indexed), timestamptz datetimeoffset, serials IDENTITY.
-- The registry-command outbox (ADR 0008): one table shape in every service that sends registry commands, written in
-- the transaction of what a command stands for, sent by the relay and settled by the registry's answer. command_type
-- is the command's name (register-birth, …), or 'apply-registry-command' for a version-1 message written before the
-- typed commands. sends counts the times the relay handed it to the broker (it sends again when no answer comes).
CREATE TABLE registry_command_outbox (
    seq          bigint IDENTITY(1,1) PRIMARY KEY,
    command_id   uniqueidentifier NOT NULL UNIQUE,
    command_type nvarchar(200) NOT NULL,
    message      nvarchar(max) NOT NULL,
    traceparent  nvarchar(max),
    tracestate   nvarchar(max),
    queued_at    datetimeoffset NOT NULL,
    sent_at      datetimeoffset,
    sends        int NOT NULL DEFAULT 0,
    answered_at  datetimeoffset
);
CREATE INDEX registry_command_outbox_unsent ON registry_command_outbox (seq) WHERE sent_at IS NULL;
CREATE INDEX registry_command_outbox_unanswered ON registry_command_outbox (sent_at) WHERE answered_at IS NULL;

-- Inbound records queued or sent and not yet answered move in as version-1 messages (the command column keeps every
-- record's command, as before; a record held for review joins the outbox when it is approved).
INSERT INTO registry_command_outbox (command_id, command_type, message, queued_at, sent_at, sends)
SELECT id, 'apply-registry-command', command, received_at, sent_at, CASE WHEN sent_at IS NULL THEN 0 ELSE 1 END
FROM inbound_records WHERE command IS NOT NULL AND state IN ('queued', 'sent') ORDER BY received_at, id;
