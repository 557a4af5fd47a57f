using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.SqlClient;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// SQL Server (2022 or later, Microsoft.Data.SqlClient) for the distributed mode: one database per service, named
/// <c>{database of the connection string}_{service}</c> (SQL Server has no search path, so a service's unqualified
/// table names need a database of their own), created by <see cref="EnsureDatabaseAsync"/> at the first start with
/// read-committed snapshot (readers do not block writers, as on PostgreSQL) and snapshot isolation allowed.
/// </summary>
public sealed class SqlServerDialect(string connectionString) : SqlDialect
{
    /// <summary>The connection string of this service's own database.</summary>
    public string ConnectionString { get; } = connectionString;

    public override string MigrationFolder => "SqlServer";

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public override async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.Snapshot, cancellationToken);

    public override Task BulkInsertAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows, CancellationToken cancellationToken) =>
        InsertRowByRowAsync(connection, transaction, table, columns, rows, cancellationToken);

    // Month and day compared as one number: a birthday on 29 February is reached on 1 March (DATEADD would say 28 February).
    public override string AgeInYears(string birthDateColumn, string dateParameter) =>
        $"(DATEDIFF(year, {birthDateColumn}, CAST(@{dateParameter} AS date)) - CASE WHEN MONTH(CAST(@{dateParameter} AS date)) * 100 + DAY(CAST(@{dateParameter} AS date)) " +
        $"< MONTH({birthDateColumn}) * 100 + DAY({birthDateColumn}) THEN 1 ELSE 0 END)";

    public override string JsonOf(string textExpression) => textExpression;

    public override string JsonInteger(string column, string property) => $"CAST(JSON_VALUE({column}, '$.{property}') AS bigint)";

    public override string JsonText(string column, string path) => $"JSON_VALUE({column}, '$.{path}')";

    public override string Quoted(string name) => $"[{name}]";

    // CONCAT takes two to 254 arguments; one part is itself.
    public override string Concat(params string[] parts) => parts.Length == 1 ? parts[0] : $"CONCAT({string.Join(", ", parts)})";

    // A uniqueidentifier converts to upper-case text; the ids stored as text (targets, details) are lower case.
    public override string UuidText(string column) => $"LOWER(CAST({column} AS nvarchar(36)))";

    public override string IntegerText(string expression) => $"CAST({expression} AS nvarchar(20))";

    // The length is an upper bound of the characters left: DATALENGTH counts bytes (two per nvarchar character), never fewer
    // than the characters, and unlike LEN it counts trailing spaces.
    public override string Substring(string expression, int start) =>
        $"SUBSTRING({expression}, {start.ToString(CultureInfo.InvariantCulture)}, DATALENGTH({expression}))";

    // Style 23 is yyyy-mm-dd; a fixed offset, as on the other products.
    public override string ChinaDay(string timeExpression) => $"CONVERT(char(10), SWITCHOFFSET({timeExpression}, '+08:00'), 23)";

    public override string EpochSeconds(string timeExpression) =>
        $"(CAST(DATEDIFF_BIG(microsecond, CAST('1970-01-01T00:00:00+00:00' AS datetimeoffset), {timeExpression}) AS float) / 1000000.0)";

    public override string Now => "SYSDATETIMEOFFSET()";

    public override string NowPlusMilliseconds(string millisecondsParameter) => $"DATEADD(millisecond, @{millisecondsParameter}, SYSDATETIMEOFFSET())";

    public override string ForUpdate => "";

    public override string UpdateLockHint => " WITH (UPDLOCK, ROWLOCK)";

    public override string Limit(string count) => $" OFFSET 0 ROWS FETCH NEXT {count} ROWS ONLY";

    public override string Output(string columns) => " OUTPUT " + Inserted(columns);

    public override string Returning(string columns) => "";

    // HOLDLOCK: without it two MERGEs of the same new key both see it missing and one fails on the key.
    public override string Upsert(string table, string columns, string rows, string keys, string? update = null,
        string? updateWhere = null, string? returning = null)
    {
        var on = string.Join(" AND ", Split(keys).Select(k => $"{table}.{k} = excluded.{k}"));
        var matched = update is null ? "" : $" WHEN MATCHED{(updateWhere is null ? "" : $" AND ({updateWhere})")} THEN UPDATE SET {update}";
        var insertValues = string.Join(", ", Split(columns).Select(c => "excluded." + c));
        return $"MERGE INTO {table} WITH (HOLDLOCK) USING (VALUES {rows}) AS excluded ({columns}) ON {on}{matched} " +
            $"WHEN NOT MATCHED THEN INSERT ({columns}) VALUES ({insertValues}){(returning is null ? "" : Output(returning))};";
    }

    public override int MaxParameters => 2_100;

    // Like PostgreSQL's: half the pool, the rest for reads, relays and health checks.
    public override int MaxConcurrentWriters => DefaultMaxPoolSize / 2;

    // sp_getapplock answers 0 or 1 when granted, a negative number when not (it does not raise).
    public override Task LockAsync(DbConnection connection, DbTransaction transaction, string name, bool shared, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(TransactionLockSql, new { name, mode = shared ? "Shared" : "Exclusive" }, transaction,
            cancellationToken: cancellationToken));

    public override Task<bool> TryLockSessionAsync(DbConnection connection, string name, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(TryLockSessionSql, new { name }, cancellationToken: cancellationToken));

    public override Task UnlockSessionAsync(DbConnection connection, string name, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(UnlockSessionSql, new { name }, cancellationToken: cancellationToken));

    internal const string TransactionLockSql =
        "DECLARE @granted int; EXEC @granted = sp_getapplock @Resource = @name, @LockMode = @mode, @LockOwner = 'Transaction', @LockTimeout = -1; " +
        "IF @granted < 0 THROW 51000, 'sp_getapplock refused the lock', 1;";

    internal const string TryLockSessionSql =
        "DECLARE @granted int; EXEC @granted = sp_getapplock @Resource = @name, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0; " +
        "SELECT CAST(CASE WHEN @granted >= 0 THEN 1 ELSE 0 END AS bit);";

    internal const string LockSessionSql =
        "DECLARE @granted int; EXEC @granted = sp_getapplock @Resource = @name, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1; " +
        "IF @granted < 0 THROW 51000, 'sp_getapplock refused the lock', 1;";

    internal const string UnlockSessionSql = "EXEC sp_releaseapplock @Resource = @name, @LockOwner = 'Session';";

    public override async Task RunExclusiveAsync(string name, Func<Task> action, CancellationToken cancellationToken)
    {
        // A session lock on a connection of its own: released by the unlock, or by SQL Server when the session ends.
        await using var connection = await OpenConnectionAsync(cancellationToken);
        // Waited for as long as the holder needs (no command timeout; the caller's token ends the wait), as on PostgreSQL.
        await connection.ExecuteAsync(new CommandDefinition(LockSessionSql, new { name }, commandTimeout: 0, cancellationToken: cancellationToken));
        try
        {
            await action();
        }
        finally
        {
            await UnlockSessionAsync(connection, name, CancellationToken.None);
        }
    }

    // Dapper expands a list parameter into (@list1, @list2, …) for SqlClient, as for SQLite.
    public override string In(string column, string listParameter) => $"{column} IN @{listParameter}";

    public override string Placeholder(int ordinal) => "@p" + ordinal.ToString(CultureInfo.InvariantCulture);

    public override string ParameterName(int ordinal) => Placeholder(ordinal);

    public override bool IsUniqueViolation(Exception exception, out string? constraint)
    {
        // 2627: a PRIMARY KEY or UNIQUE constraint; 2601: a unique index.
        if (exception is SqlException { Number: 2627 or 2601 } sql)
        {
            constraint = sql.Message;
            return true;
        }

        constraint = null;
        return false;
    }

    /// <summary>The pool size used when the connection string names none (as on PostgreSQL: docs/benchmarks.md).</summary>
    public const int DefaultMaxPoolSize = 16;

    /// <summary>
    /// The dialect of one service: the connection string's database (default <c>popinfo</c>) suffixed with the service's
    /// name, the application name <c>popinfo-{service}</c>, and the pool size of <see cref="DefaultMaxPoolSize"/> unless given.
    /// </summary>
    public static SqlServerDialect Create(string connectionString, string serviceName)
    {
        var given = new SqlConnectionStringBuilder(connectionString);
        var csb = new SqlConnectionStringBuilder(connectionString)
        {
            InitialCatalog = DatabaseName(given.InitialCatalog, serviceName),
            ApplicationName = $"popinfo-{serviceName}",
        };
        if (!connectionString.Contains("pool size", StringComparison.OrdinalIgnoreCase))
        {
            csb.MaxPoolSize = DefaultMaxPoolSize;
        }

        return new SqlServerDialect(csb.ConnectionString);
    }

    /// <summary>The database of a service: <c>{platform database}_{service}</c>.</summary>
    public static string DatabaseName(string? platformDatabase, string serviceName) =>
        $"{(string.IsNullOrWhiteSpace(platformDatabase) ? "popinfo" : platformDatabase)}_{serviceName}";

    /// <summary>
    /// Creates this service's database when it does not exist (through <c>master</c>), with read-committed snapshot on
    /// and snapshot isolation allowed (<see cref="BeginSnapshotAsync"/>). ALTER DATABASE cannot run inside a migration's
    /// transaction, so this is done here, before the migrations.
    /// </summary>
    public async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        var database = new SqlConnectionStringBuilder(ConnectionString).InitialCatalog;
        var master = new SqlConnectionStringBuilder(ConnectionString) { InitialCatalog = "master", Pooling = false };
        await using var connection = new SqlConnection(master.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(EnsureDatabaseSql, new { database }, cancellationToken: cancellationToken));
    }

    /// <summary>The statement of <see cref="EnsureDatabaseAsync"/> (its parameter: <c>@database</c>).</summary>
    internal const string EnsureDatabaseSql = """
        IF DB_ID(@database) IS NULL
        BEGIN
            DECLARE @create nvarchar(max) = N'CREATE DATABASE ' + QUOTENAME(@database);
            EXEC (@create);
            DECLARE @options nvarchar(max) = N'ALTER DATABASE ' + QUOTENAME(@database) + N' SET READ_COMMITTED_SNAPSHOT ON; '
                + N'ALTER DATABASE ' + QUOTENAME(@database) + N' SET ALLOW_SNAPSHOT_ISOLATION ON;';
            EXEC (@options);
        END
        """;

    private static string Inserted(string columns) => string.Join(", ", Split(columns).Select(c => "inserted." + c));

    private static string[] Split(string columns) =>
        columns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
