using System.Globalization;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>SQLite for the embedded mode: one file per service, WAL, one writer at a time.</summary>
public sealed class SqliteDialect(string connectionString) : SqlDialect
{
    public string ConnectionString { get; } = connectionString;

    public override string MigrationFolder => "Sqlite";

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        // WAL lets readers go on while one writer commits; NORMAL sync is durable across a process crash.
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    // One prepared statement, its parameters rebound per row: SQLite has no faster path inside a transaction.
    public override Task BulkInsertAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows, CancellationToken cancellationToken) =>
        InsertRowByRowAsync(connection, transaction, table, columns, rows, cancellationToken);

    public override string JsonOf(string textExpression) => textExpression;

    public override string JsonInteger(string column, string property) => $"json_extract({column}, '$.{property}')";

    public override string JsonText(string column, string path) => $"json_extract({column}, '$.{path}')";

    // Times are ISO 8601 text in UTC ('2026-11-03 02:00:00.1234567+00:00'), which SQLite's date functions read, offset included.
    public override string ChinaDay(string timeExpression) => $"strftime('%Y-%m-%d', {timeExpression}, '+8 hours')";

    public override string EpochSeconds(string timeExpression) => $"((julianday({timeExpression}) - 2440587.5) * 86400.0)";

    // The text form the migrations write times in (UTC, milliseconds), so that such times compare as text in time order.
    public override string Now => "strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')";

    public override string NowPlusMilliseconds(string millisecondsParameter) =>
        $"strftime('%Y-%m-%d %H:%M:%f+00:00', 'now', '+' || (@{millisecondsParameter} / 1000.0) || ' seconds')";

    // Dates are 'yyyy-MM-dd' text: the years apart, less one while the month and day of birth are still to come.
    public override string AgeInYears(string birthDateColumn, string dateParameter) =>
        $"(CAST(substr(@{dateParameter}, 1, 4) AS integer) - CAST(substr({birthDateColumn}, 1, 4) AS integer) - (substr(@{dateParameter}, 6, 5) < substr({birthDateColumn}, 6, 5)))";

    // SQLite has one writer at a time: BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default) already serialises writers.
    // SQLite has one writer at a time; a second one waits in the busy handler's sleeps (a 0.3 s tail measured).
    public override int MaxConcurrentWriters => 1;

    public override Task LockAsync(DbConnection connection, DbTransaction transaction, string name, bool shared, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task RunExclusiveAsync(string name, Func<Task> action, CancellationToken cancellationToken) => action();

    public override Task<bool> TryLockSessionAsync(DbConnection connection, string name, CancellationToken cancellationToken) => Task.FromResult(true);

    public override Task UnlockSessionAsync(DbConnection connection, string name, CancellationToken cancellationToken) => Task.CompletedTask;

    public override string In(string column, string listParameter) => $"{column} IN @{listParameter}";

    public override string Placeholder(int ordinal) => "@p" + ordinal.ToString(CultureInfo.InvariantCulture);

    public override string ParameterName(int ordinal) => Placeholder(ordinal);

    public override string ForUpdate => "";

    public override int MaxParameters => 32_766;

    public override bool IsUniqueViolation(Exception exception, out string? constraint)
    {
        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
        if (exception is SqliteException { SqliteExtendedErrorCode: 2067 or 1555 } sqlite)
        {
            constraint = sqlite.Message;
            return true;
        }

        constraint = null;
        return false;
    }

    public static SqliteDialect Create(string dataDirectory, string serviceName)
    {
        // Personal data: the folder 0700 and the file 0600 before SQLite first opens it (SQLite itself would
        // make it 0644, and gives its -wal and -shm files the database file's mode).
        PrivateFiles.CreateFolder(dataDirectory);
        var file = Path.Combine(dataDirectory, serviceName + ".db");
        PrivateFiles.EnsureFile(file);
        var csb = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Seconds to wait for the write lock before SQLITE_BUSY.
            DefaultTimeout = 30,
        };
        return new SqliteDialect(csb.ConnectionString);
    }
}
