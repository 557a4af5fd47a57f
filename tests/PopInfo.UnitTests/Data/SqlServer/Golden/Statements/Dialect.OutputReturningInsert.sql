INSERT  INTO t (a, b)
OUTPUT  inserted.id
VALUES         (@a, @b);
