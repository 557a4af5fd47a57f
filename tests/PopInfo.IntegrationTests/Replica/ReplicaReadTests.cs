using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PopInfo.Exchange;
using PopInfo.Exchange.Delivery;
using PopInfo.Monitoring.Health;
using PopInfo.Registry;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.Sharing;
using PopInfo.Sharing.People;

namespace PopInfo.IntegrationTests.Replica;

/// <summary>
/// The read paths pointed at a real streaming replica of the tests' PostgreSQL (test.sh starts it; docs/database-replica.md):
/// what the primary commits reaches them once replayed, a feed on a lagging replica answers "nothing yet" rather than skip,
/// the sharing read model says the replica's watermark, a recovery conflict is retried, and the lag is seen by monitoring.
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class ReplicaReadTests
{
    internal const string Department = "civil-affairs";

    [Fact]
    public async Task A_departments_feed_on_the_replica_answers_up_to_what_is_replayed_and_never_skips_an_event()
    {
        await using var db = await ReplicaDatabase.CreateAsync(ExchangeModule.Name);
        var feed = new DeliveryStore(db.Database);
        var seen = new List<long>();
        await InsertEventsAsync(db.Database, 1, 3);
        await ReadFeedUntilAsync(feed, seen, 3);

        await using (await db.PauseReplayAsync())
        {
            await InsertEventsAsync(db.Database, 4, 5);
            // The primary has them; the replica has not replayed them: the feed says "nothing after 3 yet", and a cursor
            // beyond what it holds gets nothing either — never a page that jumps past 4.
            Assert.Equal(2, (await new DeliveryStore(new ServiceDatabase(ExchangeModule.Name, db.Database.Dialect)).ReadAsync(Department, 3, 100, default)).Count);
            Assert.Empty(await feed.ReadAsync(Department, 3, 100, default));
            Assert.Empty(await feed.ReadAsync(Department, 4, 100, default));
        }

        await ReadFeedUntilAsync(feed, seen, 5);
        Assert.Equal([1, 2, 3, 4, 5], seen);
    }

    [Fact]
    public async Task Sharing_look_ups_read_the_replica_and_say_how_far_it_has_replayed()
    {
        await using var db = await ReplicaDatabase.CreateAsync(SharingModule.Name);
        var people = new PeopleStore(db.Database, TimeProvider.System);
        // An empty store built, as the projection follower leaves one (a store not built takes no change).
        var lease = new Lease(new LeaseStore(db.Database), "projection-follower", TimeSpan.FromMinutes(1), TimeProvider.System, NullLogger.Instance);
        Assert.True(await lease.HoldAsync(default));
        await people.FinishSnapshotAsync(0, lease.Fence(), default);
        var first = Person(1);
        await people.ApplyAsync([first], default);
        await Poll.UntilAsync(async () => (await people.ByIdNumberAsync(people.Reads, first.Id_Number, record: false, default)).Count == 1, "the first person on the replica");
        Assert.Equal(1, await people.ReplicaWatermarkAsync(default));

        var second = Person(2);
        await using (await db.PauseReplayAsync())
        {
            await people.ApplyAsync([second], default);
            // The primary's watermark is 2; the look-ups answer from the replica's 1, and say so.
            Assert.Equal((2L, 1L), ((await people.StateAsync(default)).Low_Watermark, (await people.ReplicaWatermarkAsync(default))!.Value));
            // An answer now says it reflects the changes up to 1, whatever this instance's own watermark (2) says.
            Assert.Equal(1, await people.AsOfAsync(people.Reads, 2, default));
            Assert.Empty(await people.ByIdNumberAsync(people.Reads, second.Id_Number, record: false, default));
        }

        await Poll.UntilAsync(async () => await people.ReplicaWatermarkAsync(default) == 2, "the replica's watermark to reach 2");
        Assert.Equal(second.Person_Id, Assert.Single(await people.ByIdNumberAsync(people.Reads, second.Id_Number, record: false, default)).Person_Id);
    }

    [Fact]
    public async Task A_snapshot_read_cancelled_by_a_recovery_conflict_is_read_again_in_a_new_snapshot()
    {
        await using var db = await ReplicaDatabase.CreateAsync(RegistryModule.Name);
        var attempts = 0;
        Exception? conflict = null;
        var sequence = await RecoveryConflicts.RetryAsync(async ct =>
        {
            attempts++;
            await using var snapshot = await db.Database.Reads.BeginSnapshotAsync(ct);
            var read = () => snapshot.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT last_sequence FROM change_sequence WHERE id = 1", transaction: snapshot.Transaction, cancellationToken: ct));
            var last = await read();
            if (attempts == 1)
            {
                // The primary takes an ACCESS EXCLUSIVE lock on the table this snapshot holds: replaying it waits for the
                // snapshot up to max_standby_streaming_delay, then cancels it (the snapshot keeps reading meanwhile, a second a read).
                await using (var primary = new NpgsqlConnection(db.PrimaryConnectionString))
                {
                    await primary.OpenAsync(ct);
                    await using var transaction = await primary.BeginTransactionAsync(ct);
                    await primary.ExecuteAsync("LOCK TABLE registry.change_sequence IN ACCESS EXCLUSIVE MODE", transaction: transaction);
                    await transaction.CommitAsync(ct);
                }

                var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
                while (DateTime.UtcNow < deadline)
                {
                    await snapshot.Connection.ExecuteAsync(new CommandDefinition("SELECT pg_sleep(1)", transaction: snapshot.Transaction, cancellationToken: ct));
                }

                throw new TimeoutException("The replica never cancelled the conflicting snapshot.");
            }

            return last;
        }, (_, e) => conflict = e, default);

        Assert.Equal((0L, 2), (sequence, attempts));
        Assert.Equal("40001", Assert.IsType<PostgresException>(conflict).SqlState);
    }

    [Fact]
    public async Task Monitoring_sees_the_replica_and_its_lag_grow_while_replay_stands_still()
    {
        await using var db = await ReplicaDatabase.CreateAsync(ExchangeModule.Name);
        var monitor = new DatabaseMonitorStore();
        var admin = new NpgsqlConnectionStringBuilder(db.PrimaryConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        var streaming = Assert.Single((await monitor.ReadAsync(admin, default)).Replicas, r => r.State == "streaming");
        Assert.True(streaming.ReplayLagSeconds >= 0 && streaming.BytesBehind >= 0, $"lag {streaming.ReplayLagSeconds} s, {streaming.BytesBehind} bytes");

        long behind = 0;
        await using (await db.PauseReplayAsync())
        {
            await InsertEventsAsync(db.Database, 1, 200);
            await Poll.UntilAsync(async () =>
            {
                behind = (await monitor.ReadAsync(admin, default)).Replicas.Single(r => r.Name == streaming.Name).BytesBehind ?? 0;
                return behind > 0;
            }, "the replica's bytes behind to grow");
        }

        await Poll.UntilAsync(async () => (await monitor.ReadAsync(admin, default)).Replicas.Single(r => r.Name == streaming.Name).BytesBehind < behind,
            "the replica to catch up");
    }

    /// <summary>A department's events <paramref name="from"/> to <paramref name="to"/>, committed on the primary.</summary>
    internal static async Task InsertEventsAsync(ServiceDatabase database, long from, long to)
    {
        await using var work = await database.BeginAsync(default);
        await DeliveryStore.InsertAsync(work, [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(s => new DeliveryRow
        {
            DepartmentCode = Department, Sequence = s, RegistrySequence = s, SubscriptionId = Guid.NewGuid(), PersonId = Guid.NewGuid(),
            EventType = "popinfo.person.changed", Event = $$"""{"sequence":{{s}}}""", CreatedAt = DateTimeOffset.UtcNow,
        })], default);
        await work.CommitAsync(default);
    }

    // Reads the feed as a department does, from the last sequence it took, until it has taken `last`.
    private static Task ReadFeedUntilAsync(DeliveryStore feed, List<long> seen, long last) =>
        Poll.UntilAsync(async () =>
        {
            seen.AddRange((await feed.ReadAsync(Department, seen.Count == 0 ? 0 : seen[^1], 100, default)).Select(e => e.Sequence));
            return seen.Count > 0 && seen[^1] >= last;
        }, $"the feed to reach {last}");

    private static PersonRow Person(long sequence) => new()
    {
        Person_Id = Guid.NewGuid(), Version = 1, Id_Number = $"32020519900101{sequence:D3}X", Name = "测试" + sequence, Name_Key = "测试" + sequence,
        Birth_Date = new DateOnly(1990, 1, 1), Sex = "F", Status = "living", Record = "{}", Sequence = sequence, Recorded_At = DateTimeOffset.UtcNow,
    };
}
