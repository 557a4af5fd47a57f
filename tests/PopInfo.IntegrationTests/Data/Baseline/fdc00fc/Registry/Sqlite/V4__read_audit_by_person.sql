-- A person's access log (POST /api/v1/persons/access-log) finds the reads of one person by index instead of scanning
-- every read's list of ids: one row per person a read returned, written with the read. Append-only like read_audit.
-- Ids as the driver binds a Guid: upper-case text (read_audit's lists were written lower-case).
CREATE TABLE read_audit_persons (
    person_id  TEXT NOT NULL,
    audit_id   INTEGER NOT NULL,
    PRIMARY KEY (person_id, audit_id)
);
INSERT INTO read_audit_persons (person_id, audit_id)
SELECT DISTINCT upper(j.value), a.id FROM read_audit a, json_each('["' || replace(a.person_ids, ',', '","') || '"]') j
WHERE a.person_ids IS NOT NULL;

-- The stretch of the change log a feed read returned ('sequences 5-9' in detail), as numbers: a person's log joins
-- their change-log sequences to the feed reads that carried them.
ALTER TABLE read_audit ADD COLUMN first_sequence INTEGER NULL;
ALTER TABLE read_audit ADD COLUMN last_sequence INTEGER NULL;
UPDATE read_audit
SET first_sequence = CAST(substr(detail, 11, instr(substr(detail, 11), '-') - 1) AS INTEGER),
    last_sequence = CAST(substr(detail, 11 + instr(substr(detail, 11), '-')) AS INTEGER)
WHERE action = 'changes.read' AND detail LIKE 'sequences %';
CREATE INDEX read_audit_feed_stretch ON read_audit (last_sequence, first_sequence) WHERE last_sequence IS NOT NULL;
