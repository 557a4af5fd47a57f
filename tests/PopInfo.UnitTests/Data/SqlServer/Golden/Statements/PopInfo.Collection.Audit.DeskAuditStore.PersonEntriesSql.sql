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
       @personText AS person_id,
       a.outcome
FROM   audit_log AS a
WHERE  a.at >= @from
       AND a.at < @to
       AND (a.target IN (SELECT LOWER(CAST (f.id AS NVARCHAR (36)))
                         FROM   forms AS f
                         WHERE  f.person_id = @personId
                                OR f.registry_person_id = @personId)
            OR a.target LIKE @personLike);
