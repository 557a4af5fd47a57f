SELECT id
FROM   t
WHERE  target IN (SELECT LOWER(CAST (f.id AS NVARCHAR (36)))
                  FROM   forms AS f);
