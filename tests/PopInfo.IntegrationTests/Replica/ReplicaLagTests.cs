using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using PopInfo.Registry;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.IntegrationTests.Replica;

/// <summary>
/// A replica that answers but falls behind (its replay paused while the primary writes) leaves its reads to the primary once
/// it is further behind than allowed, and takes them again once it has caught up (<see cref="ReplicaLagWatcher"/>,
/// docs/database-replica.md, "A replica far behind").
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class ReplicaLagTests
{
    [Fact]
    public async Task A_replica_held_behind_leaves_its_reads_to_the_primary_and_takes_them_again_once_caught_up()
    {
        await using var db = await ReplicaDatabase.CreateAsync(RegistryModule.Name);
        var availability = db.Database.ReplicaAvailability!;
        using var watcher = new ReplicaLagWatcher(db.Database, TimeSpan.FromSeconds(1), TimeProvider.System, NullLogger<ReplicaLagWatcher>.Instance);
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            Assert.True(db.Database.Reads.IsReplica);

            await using (await db.PauseReplayAsync())
            {
                // A write the replica cannot replay now: from here on it falls further behind every second.
                await using (var primary = await db.Database.OpenConnectionAsync())
                {
                    await primary.ExecuteAsync("CREATE TABLE lag_probe (n integer); INSERT INTO lag_probe VALUES (1)");
                }

                await Poll.UntilAsync(() => Task.FromResult(availability.LaggingSince is not null), "the watcher to find the replica too far behind");
                Assert.True(availability.Behind > TimeSpan.FromSeconds(1), $"measured {availability.Behind}");
                Assert.False(db.Database.Reads.IsReplica);
                await using var read = await db.Database.Reads.OpenConnectionAsync();
                Assert.Equal(1, await read.ExecuteScalarAsync<int>("SELECT n FROM lag_probe"));
            }

            // Replay resumed (the pause's dispose): the replica catches up, and its reads come back.
            await Poll.UntilAsync(() => Task.FromResult(availability.LaggingSince is null), "the replica to catch up");
            Assert.True(db.Database.Reads.IsReplica);
            await using var replicaRead = await db.Database.Reads.OpenConnectionAsync();
            Assert.Equal(1, await replicaRead.ExecuteScalarAsync<int>("SELECT n FROM lag_probe"));
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
    }
}
