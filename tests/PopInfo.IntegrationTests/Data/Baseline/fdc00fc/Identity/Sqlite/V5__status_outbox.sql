-- A client's suspension or activation, as the ClientStatusChanged every service hears, written in the same
-- transaction as the client's status and published from here by StatusRelay once the broker confirms: a suspended
-- department's deliveries stop at the exchange even if the broker was away at that moment (at least once).
CREATE TABLE status_outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    message     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT
);
CREATE INDEX status_outbox_unsent ON status_outbox (seq) WHERE sent_at IS NULL;
