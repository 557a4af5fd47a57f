SELECT id
FROM   t
WHERE  id IN (@ids1, @ids2);
