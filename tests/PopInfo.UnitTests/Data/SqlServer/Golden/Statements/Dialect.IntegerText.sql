SELECT REPLACE(@doc, @token, CAST (last_sequence AS NVARCHAR (20))) AS doc
FROM   change_sequence;
