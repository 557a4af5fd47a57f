SELECT CONCAT('dept-', code, '.') AS client
FROM   t;
