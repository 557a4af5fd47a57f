using System.Data.Common;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// The one seam between a service's SQL and the database product (PostgreSQL, SQLite, SQL Server). Callers write plain
/// SQL that every dialect accepts and ask the dialect only for what differs: paging (<see cref="Limit"/>), upserts
/// (<see cref="Upsert"/>), values returned by a write (<see cref="Output"/> and <see cref="Returning"/>), row locks
/// (<see cref="UpdateLockHint"/> and <see cref="ForUpdate"/>), and the functions below. A statement that asks the
/// dialect is built by a static method <c>string …Sql(SqlDialect dialect)</c> of its store, so that the SQL Server
/// tests (tests/PopInfo.UnitTests/Data/SqlServer) can produce and parse every one of them without a server.
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
    /// Appends rows to a table as fast as the product allows, inside the caller's transaction: PostgreSQL's binary COPY (a
    /// few rows: one multi-row INSERT, one round trip fewer), SQLite's prepared INSERT. No conflict handling: for tables the caller knows to be free of the keys (a rebuild after
    /// emptying). Values are the columns' CLR values in order (Guid, string, int, long, DateOnly, DateTimeOffset in UTC, null).
    /// </summary>
    public abstract Task BulkInsertAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="BulkInsertAsync"/> for products without a bulk path of their own: one INSERT whose parameters are
    /// rebound per row, all in the caller's transaction.
    /// </summary>
    protected static async Task InsertRowByRowAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = columns.Select((_, i) => command.CreateParameter()).ToArray();
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].ParameterName = "@p" + i;
            command.Parameters.Add(parameters[i]);
        }

        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                parameters[i].Value = ParameterValue(row[i]);
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>A bulk row's value as a command parameter takes it: null as <see cref="DBNull"/>, a time in UTC.</summary>
    protected static object ParameterValue(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset v => v.ToUniversalTime(),
        var v => v,
    };

    /// <summary>SQL for completed years between a date column and a date parameter (a birthday on 29 February is reached on 1 March).</summary>
    public abstract string AgeInYears(string birthDateColumn, string dateParameter);

    /// <summary>SQL for a JSON-valued parameter (PostgreSQL needs a cast to jsonb).</summary>
    public string Json(string parameterName) => JsonOf("@" + parameterName);

    /// <summary>SQL for a JSON value computed from a text expression (PostgreSQL needs a cast to jsonb).</summary>
    public abstract string JsonOf(string textExpression);

    /// <summary>The whole number at a top-level property of a JSON text column, as SQL (NULL when the property is absent).</summary>
    public abstract string JsonInteger(string column, string property);

    /// <summary>The text at a dotted path (<c>person.birthDate</c>) of a JSON text column, as SQL (NULL when absent).</summary>
    public abstract string JsonText(string column, string path);

    /// <summary>
    /// A column or table name that is a reserved word of some product, quoted: <c>"use"</c> (the standard's quotes);
    /// SQL Server's <c>[use]</c>, which does not depend on the session's QUOTED_IDENTIFIER setting.
    /// </summary>
    public virtual string Quoted(string name) => $"\"{name}\"";

    /// <summary>
    /// Text expressions joined into one, as SQL: <c>(a || b)</c>; SQL Server's <c>CONCAT(a, b)</c>. A NULL part makes the
    /// whole NULL with <c>||</c> but empty with <c>CONCAT</c>: give only parts that are not NULL (literals, NOT NULL columns).
    /// </summary>
    public virtual string Concat(params string[] parts) => $"({string.Join(" || ", parts)})";

    /// <summary>
    /// A uuid column as its text, lower case with hyphens (<c>Guid.ToString("D")</c>, how ids are stored and compared as
    /// text): <c>CAST(c AS text)</c>; SQL Server, whose uniqueidentifier comes out in capitals, <c>LOWER(CAST(c AS nvarchar(36)))</c>.
    /// </summary>
    public virtual string UuidText(string column) => $"CAST({column} AS text)";

    /// <summary>
    /// SHA-256 of a text expression's UTF-8 bytes, as lower-case hex, computed by the database — or null where the product
    /// has no such function that this code can be sure of (SQLite has none; SQL Server's <c>HASHBYTES</c> would hash
    /// UTF-16 unless given a UTF-8 collation, untested here). Lets an audit row be hashed under its chain's lock without
    /// a round trip to read the head first (<see cref="AuditTable.AppendInOneTripSql"/>).
    /// </summary>
    public virtual string? Sha256Hex(string textExpression) => null;

    /// <summary>
    /// A whole-number column or expression as its decimal text (<c>42</c>): <c>CAST(x AS text)</c>; SQL Server's
    /// <c>CAST(x AS nvarchar(20))</c>, since its <c>text</c> is a deprecated large-object type.
    /// </summary>
    public virtual string IntegerText(string expression) => $"CAST({expression} AS text)";

    /// <summary>
    /// The text of <paramref name="expression"/> from its <paramref name="start"/>-th character (from 1) to its end:
    /// <c>substr(x, n)</c>; SQL Server's <c>SUBSTRING</c>, which needs a length.
    /// </summary>
    public virtual string Substring(string expression, int start) => $"substr({expression}, {start.ToString(System.Globalization.CultureInfo.InvariantCulture)})";

    /// <summary>SQL for the city's date (China Standard Time, UTC+8) of a time column or expression, as <c>yyyy-MM-dd</c> text.</summary>
    public abstract string ChinaDay(string timeExpression);

    /// <summary>SQL for a time column or expression as seconds since 1970-01-01 UTC (a real number).</summary>
    public abstract string EpochSeconds(string timeExpression);

    /// <summary>
    /// The database's own clock, now, as SQL: for times several processes compare (a lease's expiry), which must all be
    /// read from one clock, never from each process's. Compared only with values written by <see cref="Now"/> and
    /// <see cref="NowPlusMilliseconds"/> (SQLite's text form is theirs).
    /// </summary>
    public abstract string Now { get; }

    /// <summary>The database's clock <paramref name="millisecondsParameter"/> (a parameter's name, without <c>@</c>) milliseconds from now, as SQL.</summary>
    public abstract string NowPlusMilliseconds(string millisecondsParameter);

    /// <summary>
    /// Suffix of a <c>SELECT</c> that locks the selected rows until commit (PostgreSQL's <c>FOR UPDATE</c>; SQLite has one
    /// writer and needs none; SQL Server takes its lock by <see cref="UpdateLockHint"/> instead). A locking read asks for
    /// both: <c>SELECT … FROM t{UpdateLockHint} WHERE …{ForUpdate}</c>.
    /// </summary>
    public abstract string ForUpdate { get; }

    /// <summary>
    /// Table hint, written right after the table's name in <c>FROM</c>, that locks the rows read until commit: SQL Server's
    /// <c>WITH (UPDLOCK, ROWLOCK)</c>; empty for the products that lock by <see cref="ForUpdate"/>.
    /// </summary>
    public virtual string UpdateLockHint => "";

    /// <summary>
    /// Paging: written after the <c>ORDER BY</c> of a <c>SELECT</c> (which it requires), keeps the first
    /// <paramref name="count"/> rows (a parameter such as <c>@limit</c>, or a number). <c>LIMIT n</c>; SQL Server's
    /// <c>OFFSET 0 ROWS FETCH NEXT n ROWS ONLY</c>.
    /// </summary>
    public virtual string Limit(string count) => $" LIMIT {count}";

    /// <summary>
    /// The values a write returns, part 1 of 2: written after an <c>INSERT</c>'s column list or an <c>UPDATE</c>'s
    /// <c>SET</c> list — SQL Server's <c>OUTPUT inserted.c</c>; empty elsewhere. <paramref name="columns"/>: plain column
    /// names, comma-separated.
    /// </summary>
    public virtual string Output(string columns) => "";

    /// <summary>The values a write returns, part 2 of 2: the statement's last words — <c>RETURNING c</c>; empty on SQL Server.</summary>
    public virtual string Returning(string columns) => $" RETURNING {columns}";

    /// <summary>
    /// An insert that, for a row whose <paramref name="keys"/> already exist, does nothing (<paramref name="update"/> null)
    /// or updates it: <c>INSERT … ON CONFLICT (keys) DO NOTHING | DO UPDATE SET update [WHERE updateWhere] [RETURNING …]</c>;
    /// SQL Server's <c>MERGE</c> with the same meaning. <paramref name="rows"/> is the <c>VALUES</c> list, one or more
    /// parenthesised rows. In <paramref name="update"/> and <paramref name="updateWhere"/>, the row being inserted is
    /// <c>excluded</c> and the existing one the table's name (<c>hits = rate_limit_windows.hits + excluded.hits</c>),
    /// which all three products read alike. <paramref name="returning"/>: column names, comma-separated, returned for
    /// each row inserted or updated.
    /// </summary>
    public virtual string Upsert(string table, string columns, string rows, string keys, string? update = null,
        string? updateWhere = null, string? returning = null) =>
        $"INSERT INTO {table} ({columns}) VALUES {rows} ON CONFLICT ({keys}) " +
        (update is null ? "DO NOTHING" : $"DO UPDATE SET {update}{(updateWhere is null ? "" : $" WHERE {updateWhere}")}") +
        (returning is null ? "" : Returning(returning));

    /// <summary>
    /// Parameters one command may carry: a multi-row statement built by hand keeps its rows under it
    /// (PostgreSQL takes 65,535, SQLite's bundled build 32,766, SQL Server 2,100).
    /// </summary>
    public abstract int MaxParameters { get; }

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
    /// Tries, without waiting, to take a lock on a name that all instances share, held by <paramref name="connection"/>'s
    /// session until it closes (or the database loses it): a leader's lease. False when another session holds it.
    /// SQLite: one process per file, so always true.
    /// </summary>
    public abstract Task<bool> TryLockSessionAsync(DbConnection connection, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Lets go of a lock taken with <see cref="TryLockSessionAsync"/> before the connection goes back to the pool (a pooled
    /// session is reset only when it is used again, so closing alone would keep the lock).
    /// </summary>
    public abstract Task UnlockSessionAsync(DbConnection connection, string name, CancellationToken cancellationToken);

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
