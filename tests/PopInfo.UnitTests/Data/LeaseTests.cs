using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PopInfo.Exchange;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;

namespace PopInfo.UnitTests.Data;

/// <summary>
/// A lease as one instance sees it (<see cref="Lease"/>), on a SQLite file migrated as a service's: the database decides who
/// holds it, by its clock; this instance's clock (a fake one here) only decides when it asks again and when it stops
/// counting itself the holder.
/// </summary>
public sealed class LeaseTests : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private readonly string folder = Path.Combine(Path.GetTempPath(), "popinfo-lease-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider clock = new();
    private ServiceDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = new ServiceDatabase(ExchangeModule.Name, SqliteDialect.Create(folder, ExchangeModule.Name));
        await DatabaseMigrator.MigrateAsync(database, typeof(ExchangeModule).Assembly, NullLogger.Instance, CancellationToken.None);
    }

    [Fact]
    public async Task A_leader_asks_the_database_again_only_a_third_of_the_lease_time_after_its_last_renewal()
    {
        var lease = NewLease();
        Assert.True(await lease.HoldAsync(CancellationToken.None));
        // Another instance holds it now (as after this one's pause): this one does not know until it asks.
        await ExecuteAsync("UPDATE leases SET holder = 'b', epoch = epoch + 1");

        clock.Advance(lease.RenewEvery - TimeSpan.FromMilliseconds(1));
        Assert.True(await lease.HoldAsync(CancellationToken.None));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(await lease.HoldAsync(CancellationToken.None));
        Assert.False(lease.IsHeld);
    }

    [Fact]
    public async Task A_leader_counts_itself_the_holder_for_less_than_the_lease_time_after_it_asked_and_its_writes_let_the_database_decide()
    {
        var lease = NewLease();
        Assert.True(await lease.HoldAsync(CancellationToken.None));
        var epoch = lease.Epoch;

        clock.Advance(Ttl - TimeSpan.FromMilliseconds(1));
        Assert.True(lease.IsHeld);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(lease.IsHeld);
        Assert.Null(lease.Epoch);
        // A write in a round that outlasted the lease's time still carries the epoch: the database's fence decides.
        Assert.Equal(epoch, lease.Fence().Epoch);

        lease.StepDown();
        Assert.Throws<LeaseLostException>(() => lease.Fence());
    }

    [Fact]
    public async Task A_held_lease_is_not_taken_and_each_new_holder_raises_the_epoch_which_renewals_keep()
    {
        var a = NewLease();
        var b = NewLease();
        Assert.True(await a.HoldAsync(CancellationToken.None));
        Assert.False(await b.HoldAsync(CancellationToken.None));
        var first = a.Epoch;

        await a.ReleaseAsync(CancellationToken.None);
        Assert.True(await b.HoldAsync(CancellationToken.None));
        clock.Advance(b.RenewEvery);
        Assert.True(await b.HoldAsync(CancellationToken.None));

        Assert.Equal(first + 1, b.Epoch);
        Assert.Equal(new[] { b.Holder }, await HoldersAsync());
        Assert.False(await a.HoldAsync(CancellationToken.None));
    }

    [Fact]
    public void A_fence_that_returned_another_epoch_or_none_throws()
    {
        var fence = new LeaseFence("relay", "a", 3, Ttl);

        fence.Check(3);
        Assert.Throws<LeaseLostException>(() => fence.Check(null));
        Assert.Throws<LeaseLostException>(() => fence.Check(4));
    }

    // Each lease object is an instance of its own: a holder name of its own.
    private Lease NewLease() => new(new LeaseStore(database), "relay", Ttl, clock, NullLogger.Instance);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(sql);
    }

    private async Task<string[]> HoldersAsync()
    {
        await using var connection = await database.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>("SELECT holder FROM leases")];
    }

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
