-- Every read of persons by a platform service: which client (and person acting through it), which endpoint,
-- which persons (ids, never identity numbers or names) or which stretch of the change feed. Append-only.
CREATE TABLE read_audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    client      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    action      TEXT NOT NULL,
    person_ids  TEXT NULL,
    detail      TEXT NULL
);
