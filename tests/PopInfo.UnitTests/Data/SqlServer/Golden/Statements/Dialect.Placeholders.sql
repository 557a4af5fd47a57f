INSERT  INTO t (a, b)
VALUES         (@p0, @p1);
