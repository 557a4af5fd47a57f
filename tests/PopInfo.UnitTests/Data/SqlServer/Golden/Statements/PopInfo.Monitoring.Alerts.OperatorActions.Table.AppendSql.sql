INSERT  INTO operator_actions (at, actor, action, subject, before, after, prev_hash, hash)
OUTPUT  inserted.id
VALUES                        (@p0, @p1, @p2, @p3, @p4, @p5, @prevHash, @hash);

UPDATE audit_chain_head
SET    last_id   = (SELECT MAX(id)
                    FROM   operator_actions),
       last_hash = @hash
OUTPUT inserted.last_id
WHERE  table_name = @Name
       AND last_hash = @prevHash;
