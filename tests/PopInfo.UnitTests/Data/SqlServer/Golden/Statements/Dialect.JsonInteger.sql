SELECT CAST (JSON_VALUE(after, '$.first') AS BIGINT) AS first
FROM   audit_log;
