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
       CASE WHEN a.person_ids NOT LIKE '%,%' THEN a.person_ids END AS person_id,
       NULL AS outcome
FROM   read_audit AS a
WHERE  a.at >= @from
       AND a.at < @to
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
       AND c.recorded_at < @to;
