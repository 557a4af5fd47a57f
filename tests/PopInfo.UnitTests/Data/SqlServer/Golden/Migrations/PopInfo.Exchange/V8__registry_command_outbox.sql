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

INSERT INTO registry_command_outbox (command_id, command_type, message, queued_at, sent_at, sends)
SELECT   id,
         'apply-registry-command',
         command,
         received_at,
         sent_at,
         CASE WHEN sent_at IS NULL THEN 0 ELSE 1 END
FROM     inbound_records
WHERE    command IS NOT NULL
         AND state IN ('queued', 'sent')
ORDER BY received_at, id;
