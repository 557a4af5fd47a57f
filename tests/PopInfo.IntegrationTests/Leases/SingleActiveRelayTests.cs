using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using PopInfo.IntegrationTests.Data;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Registry;
using PopInfo.Registry.Relay;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.IntegrationTests.Leases;

/// <summary>
/// Several instances of a relay on one database (docs/architecture.md, "Several instances: single-active loops"), on the
/// relays' own loop (<see cref="OutboxRelay{TRelay}"/>) and the registry relay's fenced position store, on PostgreSQL and
/// SQLite: one instance sends; a killed leader's work goes on from the stored position after the lease's time; a paused
/// leader's save is refused once another holds the lease; a graceful stop hands over at once.
/// </summary>
public sealed class SingleActiveRelayTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Providers => [MigratedDatabase.PostgreSql, MigratedDatabase.Sqlite];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Of_two_instances_on_one_database_one_sends_and_each_item_goes_once_in_order(string provider)
    {
        await using var database = await MigratedDatabase.CreateCurrentAsync(RegistryModule.Name, provider);
        var sent = new ConcurrentQueue<(string Relay, long Item)>();
        using var a = CountingRelay.Create("a", database.Database, TimeSpan.FromSeconds(5), 200, sent);
        using var b = CountingRelay.Create("b", database.Database, TimeSpan.FromSeconds(5), 200, sent);
        try
        {
            await a.StartAsync(CancellationToken.None);
            await b.StartAsync(CancellationToken.None);

            await Eventually.TrueAsync(async () => await PositionAsync(database) == 200, Within, "the position to reach 200");

            Assert.Equal(Numbers(1, 200), sent.Select(s => s.Item));
            Assert.Single(sent.Select(s => s.Relay).Distinct());
            Assert.NotEqual(a.IsLeading, b.IsLeading);
        }
        finally
        {
            await StopAsync(a, b);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_killed_leaders_work_is_taken_over_after_the_lease_time_from_the_stored_position(string provider)
    {
        await using var database = await MigratedDatabase.CreateCurrentAsync(RegistryModule.Name, provider);
        var sent = new ConcurrentQueue<(string Relay, long Item)>();
        var ttl = TimeSpan.FromSeconds(2);
        using var a = CountingRelay.Create("a", database.Database, ttl, 100, sent);
        using var b = CountingRelay.Create("b", database.Database, ttl, 100, sent);
        try
        {
            // a stands still for good right after its first saved round: no renewal, no release, as if killed.
            a.FreezeAfterNextSave();
            await a.StartAsync(CancellationToken.None);
            await a.Frozen.WaitAsync(Within);
            await b.StartAsync(CancellationToken.None);

            await Eventually.TrueAsync(async () => await PositionAsync(database) == 100, Within, "b to finish the work");

            Assert.Equal(Numbers(1, 100), sent.Select(s => s.Item));
            Assert.Equal(Numbers(1, CountingRelay.Batch), sent.Where(s => s.Relay == "a").Select(s => s.Item));
            Assert.Equal(b.Holder, (await new LeaseStore(database.Database).ReadAsync(CountingRelay.LeaseName, CancellationToken.None))?.Holder);
        }
        finally
        {
            await StopAsync(a, b);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_paused_leader_whose_lease_another_took_has_its_save_refused_and_steps_down(string provider)
    {
        await using var database = await MigratedDatabase.CreateCurrentAsync(RegistryModule.Name, provider);
        var sent = new ConcurrentQueue<(string Relay, long Item)>();
        var positions = new RelayPositionStore(database.Database);
        using var a = CountingRelay.Create("a", database.Database, TimeSpan.FromSeconds(1), 100, sent);
        try
        {
            // a publishes 1..10 and stands still before saving them (a pause of the process: its fence is already taken).
            a.PauseBeforeNextSave();
            await a.StartAsync(CancellationToken.None);
            await a.Paused.WaitAsync(Within);

            // Its lease lapses; a successor takes it (for a minute) and moves the position by itself.
            var successor = new Lease(new LeaseStore(database.Database), CountingRelay.LeaseName, TimeSpan.FromMinutes(1), TimeProvider.System, NullLogger.Instance);
            await Eventually.TrueAsync(() => successor.HoldAsync(CancellationToken.None), Within, "the successor to take the lapsed lease");
            await positions.SaveAsync(3, DateTimeOffset.UtcNow, successor.Fence(), CancellationToken.None);

            a.Resume();
            await Eventually.TrueAsync(() => Task.FromResult(a.FencedOut == 1), Within, "a's save to be refused");

            // a's save of 10 was rolled back: the stored position is the successor's, and the lease stays the successor's.
            Assert.Equal(3, await positions.LoadAsync(CancellationToken.None));
            Assert.False(a.IsLeading);
            Assert.Equal(successor.Holder, (await new LeaseStore(database.Database).ReadAsync(CountingRelay.LeaseName, CancellationToken.None))?.Holder);
            // What a paused leader may have done outside the database: published its round (at least once; the next leader sends 4..10 again).
            Assert.Equal(Numbers(1, CountingRelay.Batch), sent.Select(s => s.Item));
        }
        finally
        {
            await StopAsync(a);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_leader_stopped_gracefully_hands_over_without_waiting_for_the_lease_time(string provider)
    {
        await using var database = await MigratedDatabase.CreateCurrentAsync(RegistryModule.Name, provider);
        var sent = new ConcurrentQueue<(string Relay, long Item)>();
        var leases = new LeaseStore(database.Database);
        var ttl = TimeSpan.FromSeconds(12);
        using var a = CountingRelay.Create("a", database.Database, ttl, 0, sent);
        using var b = CountingRelay.Create("b", database.Database, ttl, 0, sent);
        try
        {
            await a.StartAsync(CancellationToken.None);
            await Eventually.TrueAsync(() => Task.FromResult(a.IsLeading), Within, "a to lead");
            await b.StartAsync(CancellationToken.None);
            var epoch = (await leases.ReadAsync(CountingRelay.LeaseName, CancellationToken.None))!.Epoch;

            await a.StopAsync(CancellationToken.None);

            // a renewed less than a third of the lease's time before it stopped: left standing, its lease would last at least
            // two thirds of the lease's time more. b leads sooner: a released it.
            await Eventually.TrueAsync(() => Task.FromResult(b.IsLeading), ttl - ttl / 3, "b to lead before a's lease could have lapsed");
            var lease = await leases.ReadAsync(CountingRelay.LeaseName, CancellationToken.None);
            Assert.Equal(b.Holder, lease?.Holder);
            Assert.Equal(epoch + 1, lease?.Epoch);
        }
        finally
        {
            await StopAsync(a, b);
        }
    }

    private static IEnumerable<long> Numbers(int from, int to) => Enumerable.Range(from, to - from + 1).Select(i => (long)i);

    private static Task<long> PositionAsync(MigratedDatabase database) => new RelayPositionStore(database.Database).LoadAsync(CancellationToken.None);

    private static async Task StopAsync(params CountingRelay[] relays)
    {
        foreach (var relay in relays)
        {
            await relay.StopAsync(CancellationToken.None);
        }
    }
}
