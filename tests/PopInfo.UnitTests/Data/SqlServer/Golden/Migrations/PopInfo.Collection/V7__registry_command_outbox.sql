CREATE TABLE registry_command_outbox (
    seq          BIGINT           IDENTITY (1, 1) PRIMARY KEY,
    command_id   UNIQUEIDENTIFIER NOT NULL UNIQUE,
    command_type NVARCHAR (200)   NOT NULL,
    message      NVARCHAR (MAX)   NOT NULL,
    traceparent  NVARCHAR (MAX)  ,
    tracestate   NVARCHAR (MAX)  ,
    queued_at    DATETIMEOFFSET   NOT NULL,
    sent_at      DATETIMEOFFSET  ,
    sends        INT              DEFAULT 0 NOT NULL,
    answered_at  DATETIMEOFFSET  
);

CREATE INDEX registry_command_outbox_unsent
    ON registry_command_outbox(seq) WHERE sent_at IS NULL;

CREATE INDEX registry_command_outbox_unanswered
    ON registry_command_outbox(sent_at) WHERE answered_at IS NULL;

INSERT INTO registry_command_outbox (command_id, command_type, message, traceparent, tracestate, queued_at, sent_at, sends, answered_at)
SELECT   s.command_id,
         'apply-registry-command',
         s.message,
         s.traceparent,
         s.tracestate,
         s.created_at,
         s.sent_at,
         CASE WHEN s.sent_at IS NULL THEN 0 ELSE 1 END,
         CASE WHEN EXISTS (SELECT 1
                           FROM   forms AS f
                           WHERE  f.command_id = s.command_id
                                  AND f.state = 'submitted') THEN NULL ELSE COALESCE (s.sent_at, s.created_at) END
FROM     submissions AS s
ORDER BY s.seq;

DROP TABLE submissions;
