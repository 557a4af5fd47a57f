using Npgsql;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.UnitTests.Data;

/// <summary>
/// The retry of a replica's read cancelled by recovery (<see cref="RecoveryConflicts"/>); the real conflict on a real replica is
/// in tests/PopInfo.IntegrationTests/Replica.
/// </summary>
public sealed class RecoveryConflictsTests
{
    private static PostgresException Error(string sqlState) => new("conflict", "ERROR", "ERROR", sqlState);

    [Theory]
    [InlineData("40001")] // a query cancelled (or a session ended) by a conflict with recovery
    [InlineData("40P01")] // a buffer-pin deadlock with recovery
    public async Task A_conflict_is_read_again_and_the_second_read_answers(string sqlState)
    {
        var attempts = 0;
        var heard = new List<int>();
        var answer = await RecoveryConflicts.RetryAsync(_ => ++attempts == 1 ? throw Error(sqlState) : Task.FromResult(42), (attempt, _) => heard.Add(attempt), default);
        Assert.Equal((42, 2), (answer, attempts));
        Assert.Equal([1], heard);
    }

    [Fact]
    public async Task Conflicts_that_go_on_are_let_through_after_the_last_try()
    {
        var attempts = 0;
        var thrown = await Assert.ThrowsAsync<PostgresException>(() => RecoveryConflicts.RetryAsync<int>(_ =>
        {
            attempts++;
            throw Error("40001");
        }, null, default));
        Assert.Equal(("40001", RecoveryConflicts.Attempts), (thrown.SqlState, attempts));
    }

    [Theory]
    [InlineData("57014")] // cancelled by the caller
    [InlineData("57P04")] // the database was dropped: reading again cannot help
    [InlineData("42P01")]
    public async Task Other_errors_are_not_retried(string sqlState)
    {
        var attempts = 0;
        await Assert.ThrowsAsync<PostgresException>(() => RecoveryConflicts.RetryAsync<int>(_ =>
        {
            attempts++;
            throw Error(sqlState);
        }, null, default));
        Assert.Equal(1, attempts);
    }
}
