SELECT   at AS At,
         kind AS Kind,
         part AS Part,
         id AS Id,
         actor AS Actor,
         client AS Client,
         unit AS Unit,
         action AS Action,
         target AS Target,
         purpose AS Purpose,
         reason AS Reason,
         person_id AS Person,
         outcome AS Outcome
FROM     (SELECT a.at,
                 'access' AS kind,
                 '' AS part,
                 a.id,
                 a.actor,
                 NULL AS client,
                 NULL AS unit,
                 a.action,
                 NULL AS target,
                 NULL AS purpose,
                 NULL AS reason,
                 NULL AS person_id,
                 NULL AS outcome
          FROM   access_audit AS a
          WHERE  a.at >= @from
                 AND a.at < @to) AS e
WHERE    at >= @from
         AND at < @to
         AND (actor = @actor
              OR client = @actor
              OR unit = @actor)
         AND action = @action
         AND (at > @afterAt
              OR (at = @afterAt
                  AND (kind > @afterKind
                       OR (kind = @afterKind
                           AND (part > @afterPart
                                OR (part = @afterPart
                                    AND id > @afterId))))))
ORDER BY at, kind, part, id
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
