SELECT a.at,
       'access' AS kind,
       '' AS part,
       a.id,
       COALESCE (a.end_user, a.client_id) AS actor,
       a.client_id AS client,
       CASE WHEN a.client_id LIKE 'dept-%' THEN SUBSTRING(a.client_id, 6, DATALENGTH(a.client_id)) END AS unit,
       a.operation AS action,
       NULL AS target,
       a.purpose,
       a.case_reference AS reason,
       LOWER(CAST (a.person_id AS NVARCHAR (36))) AS person_id,
       a.outcome
FROM   access_audit AS a
WHERE  a.at >= @from
       AND a.at < @to;
