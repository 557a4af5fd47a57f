using System.Data.Common;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// The one seam between a service's SQL and the database product. Callers write plain SQL that
/// both dialects accept and ask the dialect only for what differs. A SQL Server dialect
/// (Microsoft.Data.SqlClient) is added by writing one more subclass and its migration folder.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>Folder under a service's <c>Migrations/</c> holding this dialect's numbered scripts.</summary>
    public abstract string MigrationFolder { get; }

    public abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Begins a read-only transaction whose reads all see one consistent state of the database, for a long read
    /// that must not block writers: PostgreSQL <c>REPEATABLE READ, READ ONLY</c>; SQLite a deferred transaction
    /// (its first read fixes the WAL snapshot; <c>BEGIN IMMEDIATE</c>, the default, would take the write lock).
    /// Made for streaming whole tables in the order of an index: PostgreSQL's planner is told not to sort
    /// (<c>enable_sort = off</c> for the transaction), so the rows come from index scans and the first at once.
    /// </summary>
    public abstract Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Appends rows to a table as fast as the product allows, inside the caller's transaction: PostgreSQL's binary COPY,
    /// SQLite's prepared INSERT. No conflict handling: for tables the caller knows to be free of the keys (a rebuild after
    /// emptying). Values are the columns' CLR values in order (Guid, string, int, long, DateOnly, DateTimeOffset in UTC, null).
    /// </summary>
    public abstract Task BulkInsertAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows, CancellationToken cancellationToken);

    /// <summary>SQL for completed years between a date column and a date parameter (a birthday on 29 February is reached on 1 March).</summary>
    public abstract string AgeInYears(string birthDateColumn, string dateParameter);

    /// <summary>SQL for a JSON-valued parameter (PostgreSQL needs a cast to jsonb).</summary>
    public abstract string Json(string parameterName);

    /// <summary>The whole number at a top-level property of a JSON text column, as SQL (NULL when the property is absent).</summary>
    public abstract string JsonInteger(string column, string property);

    /// <summary>The text at a top-level property of a JSON text column, as SQL (NULL when the property is absent).</summary>
    public abstract string JsonText(string column, string property);

    /// <summary>Suffix that locks the selected rows until commit, where the product has row locks.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>
    /// Write transactions worth running at once. More only queue inside the database while holding
    /// connections (PostgreSQL) or spin in SQLite's busy handler (one writer at a time).
    /// </summary>
    public abstract int MaxConcurrentWriters { get; }

    /// <summary>
    /// Takes a lock on a name until the transaction ends. Exclusive holders run one after the other and
    /// exclude shared holders; shared holders run side by side (many forms entered into a community's
    /// day at once, none while the day closes). SQLite needs none: it has one writer.
    /// </summary>
    public abstract Task LockAsync(DbConnection connection, DbTransaction transaction, string name, bool shared, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="action"/> while holding a lock on a name that all instances of the service share, for
    /// work that opens connections of its own (so it cannot run inside one transaction). SQLite: one process per file.
    /// </summary>
    public abstract Task RunExclusiveAsync(string name, Func<Task> action, CancellationToken cancellationToken);

    /// <summary>
    /// "column is one of the values of the list parameter". Dapper expands <c>IN @list</c> for SQLite but
    /// hands Npgsql the list as an array, which PostgreSQL matches with <c>= ANY(@list)</c>.
    /// </summary>
    public abstract string In(string column, string listParameter);

    /// <summary>
    /// The placeholder of a command's <paramref name="ordinal"/>-th parameter (from 0) when the command is built by hand for
    /// speed (thousands of parameters: the audit's multi-row inserts), and that parameter's name: PostgreSQL's are
    /// positional (<c>$1</c>, unnamed, so Npgsql sends the statement as it is), SQLite's named (<c>@p0</c>).
    /// </summary>
    public abstract string Placeholder(int ordinal);

    /// <inheritdoc cref="Placeholder"/>
    public abstract string ParameterName(int ordinal);

    /// <summary>True when the exception is a unique-constraint violation (a duplicate key).</summary>
    public abstract bool IsUniqueViolation(Exception exception, out string? constraint);
}
