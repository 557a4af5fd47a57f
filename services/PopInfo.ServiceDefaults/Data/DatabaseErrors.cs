using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>What a database error means for the command that met it.</summary>
public enum DatabaseErrorKind
{
    /// <summary>Not a database error at all.</summary>
    None,

    /// <summary>
    /// The database refused the data (SQLSTATE class 22 "data exception" or 23 "integrity constraint
    /// violation"; SQLite's constraint, mismatch and too-big errors): the same command fails the same way
    /// every time, so it is answered as a refusal, never retried.
    /// </summary>
    Refused,

    /// <summary>
    /// The database could not do it now (serialization failure 40001, deadlock 40P01, connection
    /// exceptions 08xxx, operator intervention 57P0x, insufficient resources 53xxx, a connection that
    /// failed; SQLite busy or locked): the same command may succeed later, so it is retried.
    /// </summary>
    Transient,

    /// <summary>Any other database error (a missing table, a missing grant): not the data's fault, so retried too, and logged.</summary>
    Other,
}

/// <summary>A database error as the platform classifies it: the kind, the product's code, and the constraint or column it names, if any.</summary>
public sealed record DatabaseError(DatabaseErrorKind Kind, string Code, string? Target)
{
    /// <summary>The SQLSTATE class of a refusal — "22" (a value) or "23" (a constraint) — with SQLite's errors mapped to the same two.</summary>
    public string? RefusalClass => Kind != DatabaseErrorKind.Refused ? null
        : Code.StartsWith("22", StringComparison.Ordinal) || Code is "SQLITE_MISMATCH" or "SQLITE_TOOBIG" || DatabaseErrors.IsSqlServerValueError(Code) ? "22" : "23";
}

/// <summary>
/// Classifies the errors of the database products the same way (pure functions of the error codes, unit
/// tested), so that every caller — the registry's command path, its bus retry policy — tells a refusal of the
/// data from a passing failure by one rule.
/// </summary>
public static class DatabaseErrors
{
    /// <summary>The first database error in the exception's chain, classified; null when there is none.</summary>
    public static DatabaseError? Describe(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case PostgresException pg:
                    return new DatabaseError(ClassifySqlState(pg.SqlState), pg.SqlState, pg.ConstraintName ?? pg.ColumnName);
                case NpgsqlException npgsql:
                    // No SQLSTATE: the server never answered (refused connection, broken socket, timeout).
                    return new DatabaseError(npgsql.IsTransient ? DatabaseErrorKind.Transient : DatabaseErrorKind.Other, "npgsql", null);
                case SqlException sql:
                    return new DatabaseError(ClassifySqlServer(sql.Number), SqlServerName(sql.Number), null);
                case SqliteException sqlite:
                    return new DatabaseError(ClassifySqlite(sqlite.SqliteErrorCode), SqliteName(sqlite.SqliteErrorCode), null);
                case DbException:
                    return new DatabaseError(DatabaseErrorKind.Other, ex.GetType().Name, null);
            }
        }

        return null;
    }

    public static DatabaseErrorKind Classify(Exception exception) => Describe(exception)?.Kind ?? DatabaseErrorKind.None;

    /// <summary>PostgreSQL's SQLSTATE (Appendix A of its manual) to the kind.</summary>
    public static DatabaseErrorKind ClassifySqlState(string? sqlState) => sqlState switch
    {
        null or { Length: not 5 } => DatabaseErrorKind.Other,
        _ when sqlState.StartsWith("22", StringComparison.Ordinal) || sqlState.StartsWith("23", StringComparison.Ordinal) => DatabaseErrorKind.Refused,
        "40001" or "40P01" => DatabaseErrorKind.Transient,
        _ when sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("57P0", StringComparison.Ordinal)
            || sqlState.StartsWith("53", StringComparison.Ordinal) => DatabaseErrorKind.Transient,
        _ => DatabaseErrorKind.Other,
    };

    /// <summary>SQLite's primary result code (the low byte of an extended code) to the kind.</summary>
    public static DatabaseErrorKind ClassifySqlite(int errorCode) => (errorCode & 0xFF) switch
    {
        SqliteConstraint or SqliteMismatch or SqliteTooBig => DatabaseErrorKind.Refused,
        SqliteBusy or SqliteLocked => DatabaseErrorKind.Transient,
        _ => DatabaseErrorKind.Other,
    };

    /// <summary>SQL Server's error number (sys.messages) to the kind.</summary>
    public static DatabaseErrorKind ClassifySqlServer(int number) => number switch
    {
        _ when SqlServerConstraintErrors.Contains(number) || SqlServerValueErrors.Contains(number) => DatabaseErrorKind.Refused,
        // Deadlock victim, lock timeout, command timeout, and the connection failures SqlClient's own retry logic treats as transient.
        1205 or 1222 or -2 or 4060 or 40197 or 40501 or 40613 or 49918 or 49919 or 49920 or 10928 or 10929 or 233 or 64 or 20
            or 10053 or 10054 or 10060 => DatabaseErrorKind.Transient,
        _ => DatabaseErrorKind.Other,
    };

    // A duplicate key (2627 constraint, 2601 index), a foreign key or check (547), NULL into NOT NULL (515).
    private static readonly HashSet<int> SqlServerConstraintErrors = [2627, 2601, 547, 515];

    // Truncation (8152, 2628), conversion (245, 8114, 241, 242), arithmetic overflow (220, 8115), division by zero (8134).
    private static readonly HashSet<int> SqlServerValueErrors = [8152, 2628, 245, 8114, 241, 242, 220, 8115, 8134];

    private const string SqlServerPrefix = "MSSQL_";

    private static string SqlServerName(int number) => SqlServerPrefix + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>True for a SQL Server error code (<c>MSSQL_n</c>) that refuses a value rather than a constraint (class 22).</summary>
    internal static bool IsSqlServerValueError(string code) =>
        code.StartsWith(SqlServerPrefix, StringComparison.Ordinal)
        && int.TryParse(code.AsSpan(SqlServerPrefix.Length), System.Globalization.CultureInfo.InvariantCulture, out var number)
        && SqlServerValueErrors.Contains(number);

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteTooBig = 18;
    private const int SqliteConstraint = 19;
    private const int SqliteMismatch = 20;

    private static string SqliteName(int errorCode) => (errorCode & 0xFF) switch
    {
        SqliteBusy => "SQLITE_BUSY",
        SqliteLocked => "SQLITE_LOCKED",
        SqliteTooBig => "SQLITE_TOOBIG",
        SqliteConstraint => "SQLITE_CONSTRAINT",
        SqliteMismatch => "SQLITE_MISMATCH",
        var code => $"SQLITE_{code}",
    };
}
