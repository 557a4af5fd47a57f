SELECT (DATEDIFF(year, birth_date, CAST (@asOf AS DATE)) - CASE WHEN MONTH(CAST (@asOf AS DATE)) * 100 + DAY(CAST (@asOf AS DATE)) < MONTH(birth_date) * 100 + DAY(birth_date) THEN 1 ELSE 0 END) AS age
FROM   persons;
