-- SQL Server's translation of PostgreSql/V3__data_protection_keys.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- The service's Data Protection key ring (docs/security.md, "Secrets at rest"): the monitoring dashboard's session cookies
-- and sign-in state, one XML element per key or revocation, each key wrapped by the key derived from the master key file
-- (PopInfo:Secrets:KeyFile), which is never stored here. Only ever added to: the runtime role may read and insert.
CREATE TABLE data_protection_keys (
    name        nvarchar(200) PRIMARY KEY,
    xml         nvarchar(max) NOT NULL,
    created_at  datetimeoffset NOT NULL
);
