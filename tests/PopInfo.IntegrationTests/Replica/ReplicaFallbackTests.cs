using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PopInfo.Exchange;
using PopInfo.Exchange.Delivery;
using PopInfo.IntegrationTests.Data;
using PopInfo.ServiceDefaults.Data;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Replica;

/// <summary>
/// A replica that stops: the reads meant for it are answered by the primary while it is away, and go back to it once it
/// is back and the back-off is over (docs/database-replica.md, "When the replica is away"). On a replica of the test's own
/// (<see cref="StoppableReplica"/>), stopped by a fast shutdown and started again; the back-off on a fake clock.
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class ReplicaFallbackTests
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_departments_feed_is_read_on_the_primary_while_the_replica_is_stopped_and_on_the_replica_again_once_it_is_back()
    {
        await using var replica = await StoppableReplica.StartAsync();
        var primary = await TestInfrastructure.CreateDatabaseAsync();
        try
        {
            var onReplica = await StoppableReplica.OfAsync(primary);
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var availability = new ReplicaAvailability(ExchangeModule.Name, RetryAfter, clock, NullLogger.Instance);
            var primaryDialect = PostgreSqlDialect.Create(primary, ExchangeModule.Name);
            var replicaDialect = PostgreSqlDialect.Create(onReplica, ExchangeModule.Name);
            try
            {
                var database = new ServiceDatabase(ExchangeModule.Name, primaryDialect, replicaDialect, availability);
                await DatabaseMigrator.MigrateAsync(database, ServiceMigrations.All[ExchangeModule.Name], NullLogger.Instance, CancellationToken.None);
                var feed = new DeliveryStore(database);
                await ReplicaReadTests.InsertEventsAsync(database, 1, 3);
                await ReplicaDatabase.ReplayedAsync(primary, onReplica);

                // On the replica: with its replay held, what the primary commits next is not in the feed.
                await using (await ReplayPause.StartAsync(onReplica))
                {
                    await ReplicaReadTests.InsertEventsAsync(database, 4, 4);
                    Assert.Equal(3, await CountAsync(feed));
                }

                await ReplicaDatabase.ReplayedAsync(primary, onReplica);
                Assert.Equal(4, await CountAsync(feed));

                // Stopped: the pooled connection to it is dead, and no new one can be made. The feed answers from the primary,
                // with what only the primary has.
                await replica.StopAsync();
                await ReplicaReadTests.InsertEventsAsync(database, 5, 5);
                Assert.Equal(5, await CountAsync(feed));
                Assert.NotNull(availability.AwaySince);
                Assert.False(database.Reads.IsReplica);

                // Back, and holding its replay again: until the back-off is over the reads stay on the primary (6 is there);
                // after it they are the replica's again (6 is not there yet).
                await replica.StartAgainAsync();
                await ReplicaDatabase.ReplayedAsync(primary, onReplica);
                await using (await ReplayPause.StartAsync(onReplica))
                {
                    await ReplicaReadTests.InsertEventsAsync(database, 6, 6);
                    Assert.Equal(6, await CountAsync(feed));
                    clock.Advance(RetryAfter);
                    Assert.Equal(5, await CountAsync(feed));
                    Assert.Null(availability.AwaySince);
                }
            }
            finally
            {
                await primaryDialect.DataSource.DisposeAsync();
                await replicaDialect.DataSource.DisposeAsync();
            }
        }
        finally
        {
            await TestInfrastructure.DropDatabaseAsync(primary);
        }
    }

    private static async Task<int> CountAsync(DeliveryStore feed) => (await feed.ReadAsync(ReplicaReadTests.Department, 0, 100, default)).Count;
}
