INSERT  INTO access_audit (at, request_id, client_id, end_user, operation, purpose, case_reference, person_id, fields, outcome, as_of_sequence, prev_hash, hash)
OUTPUT  inserted.id
VALUES                    (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @prevHash, @hash);

UPDATE audit_chain_head
SET    last_id   = (SELECT MAX(id)
                    FROM   access_audit),
       last_hash = @hash
OUTPUT inserted.last_id
WHERE  table_name = @Name
       AND last_hash = @prevHash;
