IF DB_ID(@database) IS NULL
    BEGIN
        DECLARE @create AS NVARCHAR (MAX) = N'CREATE DATABASE ' + QUOTENAME(@database);
        EXECUTE (@create);
        DECLARE @options AS NVARCHAR (MAX) = N'ALTER DATABASE ' + QUOTENAME(@database) + N' SET READ_COMMITTED_SNAPSHOT ON; ' + N'ALTER DATABASE ' + QUOTENAME(@database) + N' SET ALLOW_SNAPSHOT_ISOLATION ON;';
        EXECUTE (@options);
    END
