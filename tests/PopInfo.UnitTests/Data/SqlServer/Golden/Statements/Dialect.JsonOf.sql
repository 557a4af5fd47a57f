INSERT  INTO t (doc)
VALUES         (REPLACE(@doc, @token, @value));
