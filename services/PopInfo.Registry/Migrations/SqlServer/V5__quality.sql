-- SQL Server's translation of PostgreSql/V5__quality.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- Data quality (docs/data-quality.md): the rule "household without a head" reads the households of a region by a
-- range of codes (a region's code prefix up to the next prefix), as the persons of a region are read by
-- persons_residence_region.
CREATE INDEX households_region ON households (region_code);
