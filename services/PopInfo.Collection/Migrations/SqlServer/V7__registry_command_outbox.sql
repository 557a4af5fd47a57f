-- SQL Server's translation of PostgreSql/V7__registry_command_outbox.sql (docs/adr/0009-sql-server.md): text is nvarchar
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

-- The desk's submissions (its outbox before this one) move in as version-1 messages. A submission is settled unless its
-- form still waits on it (a form submitted again after a rejection has a newer one); a settled one's answered_at is the
-- time it was sent (the answer's own time is on the form).
INSERT INTO registry_command_outbox (command_id, command_type, message, traceparent, tracestate, queued_at, sent_at, sends, answered_at)
SELECT s.command_id, 'apply-registry-command', s.message, s.traceparent, s.tracestate, s.created_at, s.sent_at,
       CASE WHEN s.sent_at IS NULL THEN 0 ELSE 1 END,
       CASE WHEN EXISTS (SELECT 1 FROM forms f WHERE f.command_id = s.command_id AND f.state = 'submitted') THEN NULL
            ELSE COALESCE(s.sent_at, s.created_at) END
FROM submissions s ORDER BY s.seq;

DROP TABLE submissions;
