-- SQL Server's translation of PostgreSql/V5__status_outbox.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- A client's suspension or activation, as the ClientStatusChanged every service hears, written in the same
-- transaction as the client's status and published from here by StatusRelay once the broker confirms: a suspended
-- department's deliveries stop at the exchange even if the broker was away at that moment (at least once).
CREATE TABLE status_outbox (
    seq         bigint IDENTITY(1,1) PRIMARY KEY,
    message     nvarchar(max) NOT NULL,
    created_at  datetimeoffset NOT NULL,
    sent_at     datetimeoffset
);
CREATE INDEX status_outbox_unsent ON status_outbox (seq) WHERE sent_at IS NULL;
