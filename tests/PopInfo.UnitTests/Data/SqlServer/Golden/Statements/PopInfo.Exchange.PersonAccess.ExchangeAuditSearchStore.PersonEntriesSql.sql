SELECT a.at,
       'audit' AS kind,
       '' AS part,
       a.id,
       a.actor,
       NULL AS client,
       a.department_code AS unit,
       a.action,
       a.department_code AS target,
       NULL AS purpose,
       NULL AS reason,
       @personText AS person_id,
       NULL AS outcome
FROM   audit_log AS a
WHERE  a.at >= @from
       AND a.at < @to
       AND ((a.action = 'feed.read'
             AND EXISTS (SELECT 1
                         FROM   deliveries AS x
                         WHERE  x.person_id = @personId
                                AND x.department_code = a.department_code
                                AND CAST (JSON_VALUE(a.after, '$.first') AS BIGINT) <= x.sequence
                                AND CAST (JSON_VALUE(a.after, '$.last') AS BIGINT) >= x.sequence))
            OR a.after LIKE @personLike)
UNION ALL
SELECT x.created_at AS at,
       'delivery' AS kind,
       x.department_code AS part,
       x.sequence AS id,
       x.department_code AS actor,
       CONCAT('dept-', x.department_code) AS client,
       x.department_code AS unit,
       CONCAT('delivery.', x.event_type) AS action,
       x.department_code AS target,
       s.purpose,
       NULL AS reason,
       LOWER(CAST (x.person_id AS NVARCHAR (36))) AS person_id,
       x.webhook_state AS outcome
FROM   deliveries AS x
       LEFT OUTER JOIN
       subscriptions AS s
       ON s.id = x.subscription_id
WHERE  x.person_id = @personId
       AND x.created_at >= @from
       AND x.created_at < @to;
