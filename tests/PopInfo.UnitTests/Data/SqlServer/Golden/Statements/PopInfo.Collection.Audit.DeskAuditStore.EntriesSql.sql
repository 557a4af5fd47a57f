SELECT a.at,
       'desk' AS kind,
       '' AS part,
       a.id,
       a.actor,
       NULL AS client,
       a.community_code AS unit,
       a.action,
       a.target,
       NULL AS purpose,
       a.detail AS reason,
       NULL AS person_id,
       a.outcome
FROM   audit_log AS a
WHERE  a.at >= @from
       AND a.at < @to;
