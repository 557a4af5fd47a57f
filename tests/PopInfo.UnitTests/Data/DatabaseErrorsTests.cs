using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;
using PopInfo.Registry.Messaging;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.UnitTests.Data;

public sealed class DatabaseErrorsTests
{
    [Theory]
    [InlineData("22021", DatabaseErrorKind.Refused)] // character_not_in_repertoire: a NUL in text
    [InlineData("22P05", DatabaseErrorKind.Refused)] // untranslatable_character: \u0000 in jsonb
    [InlineData("22001", DatabaseErrorKind.Refused)] // string_data_right_truncation
    [InlineData("22003", DatabaseErrorKind.Refused)] // numeric_value_out_of_range
    [InlineData("23505", DatabaseErrorKind.Refused)] // unique_violation
    [InlineData("23502", DatabaseErrorKind.Refused)] // not_null_violation
    [InlineData("23514", DatabaseErrorKind.Refused)] // check_violation
    [InlineData("40001", DatabaseErrorKind.Transient)] // serialization_failure
    [InlineData("40P01", DatabaseErrorKind.Transient)] // deadlock_detected
    [InlineData("08000", DatabaseErrorKind.Transient)] // connection_exception
    [InlineData("08006", DatabaseErrorKind.Transient)] // connection_failure
    [InlineData("57P01", DatabaseErrorKind.Transient)] // admin_shutdown
    [InlineData("57P03", DatabaseErrorKind.Transient)] // cannot_connect_now
    [InlineData("53300", DatabaseErrorKind.Transient)] // too_many_connections
    [InlineData("40002", DatabaseErrorKind.Other)] // integrity constraint violation at commit: not in the retried list
    [InlineData("57014", DatabaseErrorKind.Other)] // query_canceled
    [InlineData("42P01", DatabaseErrorKind.Other)] // undefined_table
    [InlineData("42501", DatabaseErrorKind.Other)] // insufficient_privilege
    [InlineData("", DatabaseErrorKind.Other)]
    [InlineData(null, DatabaseErrorKind.Other)]
    public void SQLSTATE_classes_22_and_23_are_refusals_and_passing_failures_are_transient(string? sqlState, DatabaseErrorKind kind) =>
        Assert.Equal(kind, DatabaseErrors.ClassifySqlState(sqlState));

    [Theory]
    [InlineData(19, DatabaseErrorKind.Refused)] // SQLITE_CONSTRAINT
    [InlineData(2067, DatabaseErrorKind.Refused)] // SQLITE_CONSTRAINT_UNIQUE
    [InlineData(1811, DatabaseErrorKind.Refused)] // SQLITE_CONSTRAINT_TRIGGER
    [InlineData(275, DatabaseErrorKind.Refused)] // SQLITE_CONSTRAINT_CHECK
    [InlineData(20, DatabaseErrorKind.Refused)] // SQLITE_MISMATCH
    [InlineData(18, DatabaseErrorKind.Refused)] // SQLITE_TOOBIG
    [InlineData(5, DatabaseErrorKind.Transient)] // SQLITE_BUSY
    [InlineData(517, DatabaseErrorKind.Transient)] // SQLITE_BUSY_SNAPSHOT
    [InlineData(6, DatabaseErrorKind.Transient)] // SQLITE_LOCKED
    [InlineData(1, DatabaseErrorKind.Other)] // SQLITE_ERROR
    [InlineData(14, DatabaseErrorKind.Other)] // SQLITE_CANTOPEN
    public void SQLite_constraint_and_mismatch_errors_are_refusals_and_busy_or_locked_transient(int code, DatabaseErrorKind kind) =>
        Assert.Equal(kind, DatabaseErrors.ClassifySqlite(code));

    [Fact]
    public void A_PostgreSQL_error_is_described_by_its_SQLSTATE_and_refusal_class()
    {
        var nul = DatabaseErrors.Describe(new PostgresException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "ERROR", "22021"));
        Assert.Equal(new DatabaseError(DatabaseErrorKind.Refused, "22021", null), nul);
        Assert.Equal("22", nul!.RefusalClass);

        var check = DatabaseErrors.Describe(new PostgresException("new row violates check constraint", "ERROR", "ERROR", "23514"));
        Assert.Equal("23", check!.RefusalClass);

        Assert.Null(DatabaseErrors.Describe(new PostgresException("deadlock detected", "ERROR", "ERROR", "40P01"))!.RefusalClass);
    }

    [Fact]
    public void SQLite_errors_map_to_the_same_refusal_classes()
    {
        Assert.Equal("23", DatabaseErrors.Describe(new SqliteException("constraint failed", 19, 1811))!.RefusalClass);
        Assert.Equal("22", DatabaseErrors.Describe(new SqliteException("datatype mismatch", 20, 20))!.RefusalClass);
        Assert.Equal(new DatabaseError(DatabaseErrorKind.Transient, "SQLITE_BUSY", null), DatabaseErrors.Describe(new SqliteException("database is locked", 5, 5)));
    }

    [Fact]
    public void A_connection_that_failed_is_transient_and_an_error_inside_another_is_found()
    {
        Assert.Equal(DatabaseErrorKind.Transient, DatabaseErrors.Classify(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal(DatabaseErrorKind.Refused,
            DatabaseErrors.Classify(new InvalidOperationException("wrapped", new PostgresException("m", "ERROR", "ERROR", "23505"))));
        Assert.Equal(DatabaseErrorKind.None, DatabaseErrors.Classify(new TimeoutException()));
        Assert.Null(DatabaseErrors.Describe(new InvalidOperationException()));
    }

    public static TheoryData<Exception, bool> RetryCases => new()
    {
        { new RegistryBusyException(), true },
        { new PostgresException("serialization failure", "ERROR", "ERROR", "40001"), true },
        { new PostgresException("deadlock", "ERROR", "ERROR", "40P01"), true },
        { new PostgresException("connection failure", "FATAL", "FATAL", "08006"), true },
        { new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), true },
        { new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), true },
        { new SqliteException("database is locked", 5, 5), true },
        { new TimeoutException("the broker did not confirm"), true },
        { new PostgresException("permission denied", "ERROR", "ERROR", "42501"), true },
        { new PostgresException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "ERROR", "22021"), false },
        { new PostgresException("unsupported Unicode escape sequence", "ERROR", "ERROR", "22P05"), false },
        { new PostgresException("duplicate key", "ERROR", "ERROR", "23505"), false },
        { new PostgresException("check constraint", "ERROR", "ERROR", "23514"), false },
        { new SqliteException("constraint failed", 19, 1811), false },
        { new SqliteException("datatype mismatch", 20, 20), false },
    };

    // Exceptions cannot be serialised for the test explorer's discovery: the cases are enumerated when the test runs.
    [Theory]
    [MemberData(nameof(RetryCases), DisableDiscoveryEnumeration = true)]
    public void The_registry_retries_passing_failures_and_never_data_the_database_refuses(Exception exception, bool retried) =>
        Assert.Equal(retried, RegistryCommandConsumerDefinition.IsWorthRetrying(exception));
}
