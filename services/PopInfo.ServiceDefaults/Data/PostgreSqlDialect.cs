using System.Globalization;
using System.Data.Common;
using Dapper;
using Npgsql;

namespace PopInfo.ServiceDefaults.Data;

public sealed class PostgreSqlDialect(NpgsqlDataSource dataSource) : SqlDialect
{
    /// <summary>The pooled data source (connection factory) of this service's schema; bulk paths use it for COPY.</summary>
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public override string MigrationFolder => "PostgreSql";

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await DataSource.OpenConnectionAsync(cancellationToken);

    public override async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        // SET takes no snapshot: the transaction's first query still fixes it. A snapshot streams whole tables in key order:
        // without enable_sort off the planner chooses to sort them (7.5 million persons: a parallel seq scan and a sort of
        // gigabytes on disk before the first row) over reading them in the order of their primary key.
        await connection.ExecuteAsync(new CommandDefinition("SET TRANSACTION READ ONLY; SET LOCAL enable_sort = off", transaction: transaction, cancellationToken: cancellationToken));
        return transaction;
    }

    public override async Task BulkInsertAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var all = rows as IReadOnlyList<object?[]> ?? [.. rows];
        if (all.Count * columns.Count <= OneStatementAtMost)
        {
            await InsertInOneStatementAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, table, columns, all, cancellationToken);
            return;
        }

        await using var importer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in all)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var value in row)
            {
                switch (value)
                {
                    case null: await importer.WriteNullAsync(cancellationToken); break;
                    case Guid v: await importer.WriteAsync(v, NpgsqlTypes.NpgsqlDbType.Uuid, cancellationToken); break;
                    case string v: await importer.WriteAsync(v, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken); break;
                    case int v: await importer.WriteAsync(v, NpgsqlTypes.NpgsqlDbType.Integer, cancellationToken); break;
                    case long v: await importer.WriteAsync(v, NpgsqlTypes.NpgsqlDbType.Bigint, cancellationToken); break;
                    case DateOnly v: await importer.WriteAsync(v, NpgsqlTypes.NpgsqlDbType.Date, cancellationToken); break;
                    case DateTimeOffset v: await importer.WriteAsync(v.ToUniversalTime(), NpgsqlTypes.NpgsqlDbType.TimestampTz, cancellationToken); break;
                    default: throw new ArgumentException($"No COPY mapping for {value.GetType().Name}.", nameof(rows));
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Values up to which <see cref="BulkInsertAsync"/> writes one multi-row INSERT instead of a COPY: a COPY costs two round
    /// trips (the statement, then the data) where an INSERT costs one, which is what a projection's few rows per change
    /// (the exchange's deliveries: one per department) feel; beyond this the COPY's cheaper rows win.
    /// </summary>
    public const int OneStatementAtMost = 2000;

    private static async Task InsertInOneStatementAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table,
        IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        var values = new System.Text.StringBuilder();
        foreach (var row in rows)
        {
            values.Append(values.Length == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Count; c++)
            {
                values.Append(c == 0 ? "$" : ", $").Append(command.Parameters.Count + 1);
                command.Parameters.Add(new NpgsqlParameter { Value = ParameterValue(row[c]) });
            }

            values.Append(')');
        }

        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES {values}";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override string JsonOf(string textExpression) => $"CAST({textExpression} AS jsonb)";

    // sha256(bytea) is built in since PostgreSQL 11; the database's encoding is UTF-8 (the migrations create it so).
    public override string? Sha256Hex(string textExpression) => $"encode(sha256(convert_to({textExpression}, 'UTF8')), 'hex')";

    public override string JsonInteger(string column, string property) => $"CAST(CAST({column} AS jsonb) ->> '{property}' AS bigint)";

    public override string JsonText(string column, string path) => $"(CAST({column} AS jsonb) #>> '{{{path.Replace('.', ',')}}}')";

    // A fixed offset (the city has no daylight saving): no dependence on the server's time-zone database.
    public override string ChinaDay(string timeExpression) => $"to_char(({timeExpression}) AT TIME ZONE 'UTC' + interval '8 hours', 'YYYY-MM-DD')";

    public override string EpochSeconds(string timeExpression) => $"CAST(extract(epoch FROM {timeExpression}) AS double precision)";

    // clock_timestamp(), not now(): now() is the transaction's start, which a long transaction would carry into the past.
    public override string Now => "clock_timestamp()";

    public override string NowPlusMilliseconds(string millisecondsParameter) =>
        $"(clock_timestamp() + CAST(@{millisecondsParameter} AS double precision) * interval '1 millisecond')";

    public override string AgeInYears(string birthDateColumn, string dateParameter) =>
        $"CAST(date_part('year', age(CAST(@{dateParameter} AS date), {birthDateColumn})) AS integer)";

    public override string In(string column, string listParameter) => $"{column} = ANY(@{listParameter})";

    public override string Placeholder(int ordinal) => "$" + (ordinal + 1).ToString(CultureInfo.InvariantCulture);

    public override string ParameterName(int ordinal) => "";

    public override string ForUpdate => " FOR UPDATE";

    public override int MaxParameters => 65_535;

    public override Task LockAsync(DbConnection connection, DbTransaction transaction, string name, bool shared, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            shared ? "SELECT pg_advisory_xact_lock_shared(hashtext(@name))" : "SELECT pg_advisory_xact_lock(hashtext(@name))",
            new { name }, transaction, cancellationToken: cancellationToken));

    public override Task<bool> TryLockSessionAsync(DbConnection connection, string name, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(hashtext(@name))", new { name }, cancellationToken: cancellationToken));

    public override Task UnlockSessionAsync(DbConnection connection, string name, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(hashtext(@name))", new { name }, cancellationToken: cancellationToken));

    public override async Task RunExclusiveAsync(string name, Func<Task> action, CancellationToken cancellationToken)
    {
        // A session lock on a connection of its own: released by the unlock, or by PostgreSQL if the process dies.
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        // Waited for as long as the holder needs (no command timeout; the caller's token ends the wait): a second instance
        // starting beside the first waits out the first's start-up work, however slow a loaded machine makes it.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(hashtext(@name))", new { name }, commandTimeout: 0, cancellationToken: cancellationToken));
        try
        {
            await action();
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(hashtext(@name))", new { name }, cancellationToken: CancellationToken.None));
        }
    }

    // Half the default pool: reads, the relay and health checks keep connections of their own.
    public override int MaxConcurrentWriters => DefaultMaxPoolSize / 2;

    public override bool IsUniqueViolation(Exception exception, out string? constraint)
    {
        if (exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg)
        {
            constraint = pg.ConstraintName;
            return true;
        }

        constraint = null;
        return false;
    }

    /// <summary>
    /// Builds the data source of one service: its own schema first on the search path, so the
    /// service's SQL names its tables without a schema and no service reads another's tables.
    /// </summary>
    public static PostgreSqlDialect Create(string connectionString, string schema)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString)
        {
            SearchPath = schema,
            ApplicationName = $"popinfo-{schema}",
        };
        // Defaults measured on this platform (docs/benchmarks.md); a value given in the connection string wins.
        var given = GivenKeys(connectionString);
        if (csb.MaxAutoPrepare == 0)
        {
            // Prepared statements halved point-lookup latency here (stack notes).
            csb.MaxAutoPrepare = 50;
        }

        if (!given.Contains("maximumpoolsize") && !given.Contains("maxpoolsize"))
        {
            // Npgsql's 100 let a burst open 100 backends on a 2-core box and every one of them waited on the
            // others; a small pool answered 200 changes/s where 100 connections fell behind.
            csb.MaxPoolSize = DefaultMaxPoolSize;
        }

        if (!given.Contains("sslmode") && IsLoopback(csb.Host))
        {
            // Traffic that never leaves the machine gains nothing from TLS; Npgsql's "Prefer" spent CPU on it.
            csb.SslMode = SslMode.Disable;
        }

        return new PostgreSqlDialect(new NpgsqlDataSourceBuilder(csb.ConnectionString).Build());
    }

    /// <summary>The pool size used when the connection string names none.</summary>
    public const int DefaultMaxPoolSize = 16;

    private static HashSet<string> GivenKeys(string connectionString)
    {
        var raw = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return raw.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
    }

    private static bool IsLoopback(string? host) =>
        host is not null && host.Split(',').All(h =>
            h.Trim() is "localhost" or "127.0.0.1" or "::1" || h.Trim().StartsWith('/'));
}
