INSERT  INTO operator_actions (at, actor, action, subject, before, after, prev_hash, hash)
OUTPUT  inserted.id
VALUES                        (@p0, @p1, @p2, @p3, @p4, @p5, @prevHash, @hash);
