SELECT CASE WHEN client_id LIKE 'dept-%' THEN SUBSTRING(client_id, 6, DATALENGTH(client_id)) END AS unit
FROM   t;
