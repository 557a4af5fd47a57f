-- The registry-command outbox keeps only what is unsettled (ADR 0008, "answered commands leave the outbox"): the
-- registry's answer deletes its command's row, in the transaction that records the answer on the sender's own row
-- (which keeps when it was sent and answered). Every row left is therefore unanswered; the reconciliation looks at
-- those sent longest ago.
DELETE FROM registry_command_outbox WHERE answered_at IS NOT NULL;
DROP INDEX registry_command_outbox_unanswered ON registry_command_outbox;
ALTER TABLE registry_command_outbox DROP COLUMN answered_at;
CREATE INDEX registry_command_outbox_sent ON registry_command_outbox (sent_at) WHERE sent_at IS NOT NULL;
