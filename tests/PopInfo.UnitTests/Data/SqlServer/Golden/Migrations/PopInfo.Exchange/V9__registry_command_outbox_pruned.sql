DELETE registry_command_outbox
WHERE  answered_at IS NOT NULL;

DROP INDEX registry_command_outbox_unanswered
    ON registry_command_outbox;

ALTER TABLE registry_command_outbox DROP COLUMN answered_at;

CREATE INDEX registry_command_outbox_sent
    ON registry_command_outbox(sent_at) WHERE sent_at IS NOT NULL;
