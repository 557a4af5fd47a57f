-- The service's Data Protection key ring (docs/security.md, "Secrets at rest"): one XML element per key or
-- revocation, each key wrapped by the key derived from the master key file (PopInfo:Secrets:KeyFile), which is
-- never stored here. Only ever added to: the runtime role may read and insert, not change or remove.
CREATE TABLE data_protection_keys (
    name        text PRIMARY KEY,
    xml         text NOT NULL,
    created_at  timestamptz NOT NULL
);
