SELECT a.at,
       'read' AS kind,
       '' AS part,
       a.id,
       a.subject AS actor,
       a.client,
       NULL AS unit,
       a.action,
       NULL AS target,
       NULL AS purpose,
       a.detail AS reason,
       @personText AS person_id,
       NULL AS outcome
FROM   read_audit AS a
WHERE  a.at >= @from
       AND a.at < @to
       AND (a.id IN (SELECT p.audit_id
                     FROM   read_audit_persons AS p
                     WHERE  p.person_id = @personId)
            OR EXISTS (SELECT 1
                       FROM   change_log AS c
                       WHERE  c.person_id = @personId
                              AND a.last_sequence >= c.sequence
                              AND a.first_sequence <= c.sequence))
UNION ALL
SELECT c.recorded_at AS at,
       'change' AS kind,
       '' AS part,
       c.sequence AS id,
       COALESCE (JSON_VALUE(c.event, '$.actor'), JSON_VALUE(c.event, '$.source')) AS actor,
       JSON_VALUE(c.event, '$.source') AS client,
       NULL AS unit,
       CONCAT('change.', c.change_type) AS action,
       NULL AS target,
       NULL AS purpose,
       JSON_VALUE(c.event, '$.correlationId') AS reason,
       LOWER(CAST (c.person_id AS NVARCHAR (36))) AS person_id,
       NULL AS outcome
FROM   change_log AS c
WHERE  c.recorded_at >= @from
       AND c.recorded_at < @to
       AND c.person_id = @personId;
