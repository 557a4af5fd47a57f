INSERT  INTO audit_log (at, actor, remote_address, department_code, subscription_id, action, before, after, prev_hash, hash)
OUTPUT  inserted.id, inserted.hash
VALUES                 (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9),
                       (@p10, @p11, @p12, @p13, @p14, @p15, @p16, @p17, @p18, @p19);
