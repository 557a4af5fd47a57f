using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PopInfo.Analytics;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Projections;

namespace PopInfo.UnitTests.Projections;

/// <summary>
/// The watermark ledger on SQLite (the analytics service's migrations make its two tables): the watermark stands below a
/// gap and moves over it once filled, repeats are kept once, what is at or below the watermark is dropped, a store not
/// built (a rebuild loading its snapshot) takes no change, and a rolled-back transaction leaves it as it was.
/// </summary>
public sealed class ProjectionLedgerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    private readonly string folder = Path.Combine(Path.GetTempPath(), "popinfo-ledger-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider clock = new(Start);
    private ServiceDatabase database = null!;
    private ProjectionLedgerStore ledger = null!;

    // The follower's fence: a rebuild's writes (the reset, the snapshot's end) are the lease holder's.
    private LeaseFence fence = null!;

    public async Task InitializeAsync()
    {
        DapperTypeHandlers.Register();
        database = new ServiceDatabase(AnalyticsModule.Name, SqliteDialect.Create(folder, AnalyticsModule.Name));
        await DatabaseMigrator.MigrateAsync(database, typeof(AnalyticsModule).Assembly, NullLogger.Instance, CancellationToken.None);
        ledger = new ProjectionLedgerStore(database, clock);
        var lease = new Lease(new LeaseStore(database), "projection-follower", TimeSpan.FromMinutes(1), clock, NullLogger.Instance);
        Assert.True(await lease.HoldAsync(CancellationToken.None));
        fence = lease.Fence();
    }

    [Fact]
    public async Task The_watermark_stands_below_a_gap_and_moves_over_it_once_filled()
    {
        await ledger.FinishSnapshotAsync(0, fence, CancellationToken.None);

        // 3 and 2 (3 twice) before 1: nothing moves, two wait above the watermark.
        var first = await ApplyAsync(3, 2, 3);
        Assert.Equal([3, 2], first.Applied);
        Assert.Equal((0L, 2L), (first.Watermark, first.Pending));

        // 1 fills the gap; 4 follows without one.
        var second = await ApplyAsync(1, 4);
        Assert.Equal([1, 4], second.Applied);
        Assert.Equal((4L, 0L), (second.Watermark, second.Pending));

        // Already below the watermark: nothing to write.
        var third = await ApplyAsync(2, 4);
        Assert.Empty(third.Applied);
        Assert.Equal((4L, 0L), (third.Watermark, third.Pending));

        var state = await ledger.StateAsync(CancellationToken.None);
        Assert.Equal(4, state.Low_Watermark);
        Assert.Equal(Recorded(4), state.Watermark_Recorded_At);
        Assert.Equal(0, state.Snapshot_Sequence);
    }

    [Fact]
    public async Task A_store_not_built_takes_no_change_until_the_snapshot_s_end()
    {
        var written = false;
        await using (var connection = await database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await Assert.ThrowsAsync<ProjectionNotBuiltException>(() => ledger.ApplyAsync<long>(connection, transaction, [11, 12], s => s, Recorded, _ =>
            {
                written = true;
                return Task.CompletedTask;
            }, CancellationToken.None));
        }

        Assert.False(written);
        Assert.Equal(0, await ledger.PendingAsync(CancellationToken.None));

        Assert.Equal(10, await ledger.FinishSnapshotAsync(10, fence, CancellationToken.None));
        var after = await ApplyAsync(11, 12, 14);

        Assert.Equal((12L, 1L), (after.Watermark, after.Pending));
        var state = await ledger.StateAsync(CancellationToken.None);
        Assert.Equal(10, state.Snapshot_Sequence);
        Assert.Equal(Start, state.Built_At);
    }

    [Fact]
    public async Task A_reset_forgets_the_snapshot_the_watermark_and_the_pending_sequences()
    {
        await ledger.FinishSnapshotAsync(10, fence, CancellationToken.None);
        await ApplyAsync(13);

        await using (var connection = await database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ledger.ResetAsync(connection, transaction, fence, CancellationToken.None);
            await transaction.CommitAsync();
        }

        var state = await ledger.StateAsync(CancellationToken.None);
        Assert.Null(state.Snapshot_Sequence);
        Assert.Null(state.Built_At);
        Assert.Equal(0, state.Low_Watermark);
        Assert.Equal(0, await ledger.PendingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_snapshot_s_end_with_a_fence_another_instance_made_stale_is_refused_and_marks_nothing()
    {
        await Assert.ThrowsAsync<LeaseLostException>(() => ledger.FinishSnapshotAsync(10, fence with { Epoch = fence.Epoch - 1 }, CancellationToken.None));

        var state = await ledger.StateAsync(CancellationToken.None);
        Assert.Null(state.Snapshot_Sequence);
        Assert.Equal(0, state.Low_Watermark);
    }

    [Fact]
    public async Task A_transaction_rolled_back_leaves_the_watermark_as_it_was()
    {
        await ledger.FinishSnapshotAsync(0, fence, CancellationToken.None);
        await using (var connection = await database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var applied = await ledger.ApplyAsync<long>(connection, transaction, [1, 2], s => s, Recorded, _ => Task.CompletedTask, CancellationToken.None);
            Assert.Equal(2, applied.Watermark);
            await transaction.RollbackAsync();
        }

        Assert.Equal(0, (await ledger.StateAsync(CancellationToken.None)).Low_Watermark);
        Assert.Equal(0, await ledger.PendingAsync(CancellationToken.None));
    }

    // Applies sequences (a change here is its sequence) in a transaction of its own; what the ledger hands to the caller's
    // write is what it says it applied.
    private async Task<AppliedChanges<long>> ApplyAsync(params long[] sequences)
    {
        IReadOnlyList<long> written = [];
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var result = await ledger.ApplyAsync<long>(connection, transaction, sequences, s => s, Recorded, rows =>
        {
            written = rows;
            return Task.CompletedTask;
        }, CancellationToken.None);
        await transaction.CommitAsync();
        Assert.Equal(result.Applied, written);
        return result;
    }

    private static DateTimeOffset Recorded(long sequence) => Start.AddMinutes(sequence);

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}
