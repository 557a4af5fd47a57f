SELECT   id AS Id,
         at AS At,
         client AS Client,
         subject AS Subject,
         action AS Action,
         detail AS Detail,
         via AS Via
FROM     (SELECT a.id,
                 a.at,
                 a.client,
                 a.subject,
                 a.action,
                 a.detail,
                 'person' AS via
          FROM   read_audit_persons AS p
                 INNER JOIN
                 read_audit AS a
                 ON a.id = p.audit_id
          WHERE  p.person_id = @personId
                 AND p.audit_id > @after
          UNION
          SELECT a.id,
                 a.at,
                 a.client,
                 a.subject,
                 a.action,
                 a.detail,
                 'feed' AS via
          FROM   change_log AS c
                 INNER JOIN
                 read_audit AS a
                 ON a.last_sequence >= c.sequence
                    AND a.first_sequence <= c.sequence
          WHERE  c.person_id = @personId
                 AND a.id > @after) AS r
WHERE    1 = 1
         AND at >= @from
         AND at < @to
ORDER BY id
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
