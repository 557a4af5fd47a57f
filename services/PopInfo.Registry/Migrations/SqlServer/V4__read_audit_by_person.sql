-- SQL Server's translation of PostgreSql/V4__read_audit_by_person.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- A person's access log (POST /api/v1/persons/access-log) finds the reads of one person by index instead of scanning
-- every read's list of ids: one row per person a read returned, written with the read. Append-only like read_audit.
CREATE TABLE read_audit_persons (
    person_id  uniqueidentifier NOT NULL,
    audit_id   bigint NOT NULL,
    PRIMARY KEY (person_id, audit_id)
);
INSERT INTO read_audit_persons (person_id, audit_id)
SELECT DISTINCT CAST(p.value AS uniqueidentifier), a.id FROM read_audit a CROSS APPLY STRING_SPLIT(a.person_ids, ',') AS p WHERE a.person_ids IS NOT NULL;

-- The stretch of the change log a feed read returned ('sequences 5-9' in detail), as numbers: a person's log joins
-- their change-log sequences to the feed reads that carried them.
ALTER TABLE read_audit ADD first_sequence bigint NULL;
ALTER TABLE read_audit ADD last_sequence bigint NULL;
GO
-- A new batch (GO): SQL Server compiles a batch whole, and these columns did not exist before it.
UPDATE read_audit
SET first_sequence = CAST(LEFT(SUBSTRING(detail, 11, 4000), CHARINDEX('-', SUBSTRING(detail, 11, 4000)) - 1) AS bigint),
    last_sequence = CAST(SUBSTRING(SUBSTRING(detail, 11, 4000), CHARINDEX('-', SUBSTRING(detail, 11, 4000)) + 1, 4000) AS bigint)
WHERE action = 'changes.read' AND detail LIKE 'sequences %-%';
CREATE INDEX read_audit_feed_stretch ON read_audit (last_sequence, first_sequence) WHERE last_sequence IS NOT NULL;
