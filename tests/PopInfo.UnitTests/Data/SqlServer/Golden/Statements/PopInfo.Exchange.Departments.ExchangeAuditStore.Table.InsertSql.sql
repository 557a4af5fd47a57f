INSERT  INTO audit_log (at, actor, remote_address, department_code, subscription_id, action, before, after, prev_hash, hash)
OUTPUT  inserted.id
VALUES                 (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @prevHash, @hash);
