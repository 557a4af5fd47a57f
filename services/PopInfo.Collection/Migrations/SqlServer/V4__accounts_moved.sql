-- SQL Server's translation of PostgreSql/V4__accounts_moved.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- The desk's accounts move into the identity provider (DeskAccountsMove): when each one went, and its hash is
-- then emptied here so that no second copy of a password hash stays behind.
ALTER TABLE accounts ADD moved_at datetimeoffset;
