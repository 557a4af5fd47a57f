-- Every read of persons by a platform service: which client (and person acting through it), which endpoint,
-- which persons (ids, never identity numbers or names) or which stretch of the change feed. Append-only.
CREATE TABLE read_audit (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL,
    client      text NOT NULL,
    subject     text NOT NULL,
    action      text NOT NULL,
    person_ids  text NULL,
    detail      text NULL
);
