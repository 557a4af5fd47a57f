SELECT status
FROM   departments WITH (UPDLOCK, ROWLOCK)
WHERE  code = @code;
