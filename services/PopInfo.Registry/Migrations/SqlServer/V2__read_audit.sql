-- SQL Server's translation of PostgreSql/V2__read_audit.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- Every read of persons by a platform service: which client (and person acting through it), which endpoint,
-- which persons (ids, never identity numbers or names) or which stretch of the change feed. Append-only.
CREATE TABLE read_audit (
    id          bigint IDENTITY(1,1) PRIMARY KEY,
    at          datetimeoffset NOT NULL,
    client      nvarchar(max) NOT NULL,
    subject     nvarchar(max) NOT NULL,
    action      nvarchar(max) NOT NULL,
    person_ids  nvarchar(max) NULL,
    detail      nvarchar(max) NULL
);
