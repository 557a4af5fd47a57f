INSERT  INTO grant_changes (at, actor, remote_address, client_id, action, before, after, prev_hash, hash)
OUTPUT  inserted.id
VALUES                     (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @prevHash, @hash);

UPDATE audit_chain_head
SET    last_id   = (SELECT MAX(id)
                    FROM   grant_changes),
       last_hash = @hash
OUTPUT inserted.last_id
WHERE  table_name = @Name
       AND last_hash = @prevHash;
