-- The service's Data Protection key ring (docs/security.md, "Secrets at rest"): the monitoring dashboard's session cookies
-- and sign-in state, one XML element per key or revocation, each key wrapped by the key derived from the master key file
-- (PopInfo:Secrets:KeyFile), which is never stored here. Only ever added to: the runtime role may read and insert.
CREATE TABLE data_protection_keys (
    name        TEXT PRIMARY KEY,
    xml         TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
