CREATE TABLE read_audit_persons (
    person_id UNIQUEIDENTIFIER NOT NULL,
    audit_id  BIGINT           NOT NULL,
    PRIMARY KEY (person_id, audit_id)
);

INSERT INTO read_audit_persons (person_id, audit_id)
SELECT DISTINCT CAST (p.value AS UNIQUEIDENTIFIER),
                a.id
FROM   read_audit AS a
       CROSS APPLY STRING_SPLIT (a.person_ids, ',') AS p
WHERE  a.person_ids IS NOT NULL;

ALTER TABLE read_audit
    ADD first_sequence BIGINT NULL;

ALTER TABLE read_audit
    ADD last_sequence BIGINT NULL;


GO
UPDATE read_audit
SET    first_sequence = CAST (LEFT(SUBSTRING(detail, 11, 4000), CHARINDEX('-', SUBSTRING(detail, 11, 4000)) - 1) AS BIGINT),
       last_sequence  = CAST (SUBSTRING(SUBSTRING(detail, 11, 4000), CHARINDEX('-', SUBSTRING(detail, 11, 4000)) + 1, 4000) AS BIGINT)
WHERE  action = 'changes.read'
       AND detail LIKE 'sequences %-%';

CREATE INDEX read_audit_feed_stretch
    ON read_audit(last_sequence, first_sequence) WHERE last_sequence IS NOT NULL;
