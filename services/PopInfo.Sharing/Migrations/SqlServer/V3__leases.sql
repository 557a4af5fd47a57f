-- SQL Server's translation of PostgreSql/V3__leases.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- The leases of the service's single-active loops (docs/architecture.md, "Several instances:
-- single-active loops"; ADR 0010): one row per loop, made by the first instance that tries to take it. holder: the
-- instance that holds it (machine, process, random); epoch: the fencing token, one more at every change of holder, which
-- the leader's writes check in their own transaction; expires_at: when the lease lapses unless renewed, by the database's
-- clock only (no process compares its own clock with another's).
CREATE TABLE leases (
    name        nvarchar(200) PRIMARY KEY,
    holder      nvarchar(200) NOT NULL,
    epoch       bigint NOT NULL,
    expires_at  datetimeoffset NOT NULL
);
