-- SQL Server's translation of PostgreSql/V6__deliveries_by_person.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- A person's deliveries (POST /api/v1/persons/deliveries, the access report's source): every department's events of
-- one person, found by index.
CREATE INDEX deliveries_person ON deliveries (person_id, registry_sequence);
