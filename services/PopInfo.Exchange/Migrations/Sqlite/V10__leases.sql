-- The leases of the service's single-active loops (docs/architecture.md, "Several instances:
-- single-active loops"; ADR 0010): one row per loop, made by the first instance that tries to take it. holder: the
-- instance that holds it (machine, process, random); epoch: the fencing token, one more at every change of holder, which
-- the leader's writes check in their own transaction; expires_at: when the lease lapses unless renewed, by the database's
-- clock only (no process compares its own clock with another's).
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    epoch       INTEGER NOT NULL,
    expires_at  TEXT NOT NULL
);
