UPDATE forms
SET    sent_at = @at
WHERE  id IN (SELECT   id
              FROM     forms WITH (UPDLOCK, ROWLOCK)
              WHERE    command_id IN (@commandIds1, @commandIds2)
                       AND sent_at IS NULL
              ORDER BY command_id
              OFFSET 0 ROWS FETCH NEXT @count ROWS ONLY);
