SELECT CONVERT (CHAR (10), SWITCHOFFSET(recorded_at, '+08:00'), 23) AS day
FROM   change_log;
