INSERT  INTO t (doc)
VALUES         (@doc);
