using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Replica;

/// <summary>
/// The registry started with <c>PopInfo:Database:ReadConnectionString</c> naming the tests' streaming replica: a change
/// written through its API (on the primary) comes out of its change feed and snapshot (read on the replica) once replayed,
/// and while replay stands still the feed answers "nothing yet" and the snapshot the sequence it holds — never ahead of its rows.
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class RegistryOnReplicaTests
{
    [Fact]
    public async Task The_change_feed_and_snapshot_read_the_replica_and_see_a_change_once_it_is_replayed()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        var replica = await TestInfrastructure.ReplicaOfAsync(database);
        var host = await RegistryReadingAsync(database, replica);
        try
        {
            using var client = host.CreateClient();
            Assert.Equal(201, (await client.PostAsync("/api/v1/persons", People.Resident())).Status);
            // The registry migrated its schema on the primary as it started: the replica has its tables once it has replayed that.
            await ReplicaDatabase.ReplayedAsync(database, replica);
            await Poll.UntilAsync(async () => (await ChangesAfterAsync(client, 0)).Count == 1, "the first change in the feed");

            await using (await ReplayPause.StartAsync(replica))
            {
                Assert.Equal(201, (await client.PostAsync("/api/v1/persons", People.Resident())).Status);
                var page = await client.GetFromJsonAsync<JsonObject>("/api/v1/changes?after=1");
                Assert.Equal((0, 1L), (page!["changes"]!.AsArray().Count, (long)page["next"]!));
                Assert.Equal((1L, 1), await SnapshotAsync(client));
            }

            await Poll.UntilAsync(async () => (await ChangesAfterAsync(client, 1)).Count == 1, "the second change in the feed");
            Assert.Equal((2L, 2), await SnapshotAsync(client));

            // The reads were the replica's: the registry's pool there holds its connections to this database.
            await using var standby = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(replica) { Pooling = false }.ConnectionString);
            Assert.True(await standby.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'popinfo-registry'") > 0);
        }
        finally
        {
            await host.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await TestInfrastructure.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task With_its_replica_away_the_registry_answers_from_the_primary_and_its_readiness_says_so()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        // The replica at a port where nothing listens: every connection to it is refused.
        var away = new NpgsqlConnectionStringBuilder(database) { Port = 5453, Timeout = 5 }.ConnectionString;
        var host = await RegistryReadingAsync(database, away);
        try
        {
            using var client = host.CreateClient();
            Assert.Equal(201, (await client.PostAsync("/api/v1/persons", People.Resident())).Status);
            Assert.Single(await ChangesAfterAsync(client, 0));
            Assert.Equal((1L, 1), await SnapshotAsync(client));

            // Ready (200) all the same, the replica's entry Degraded.
            using var response = await client.GetAsync("/health/ready");
            var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            var entries = report["checks"]!.AsArray().ToDictionary(c => (string)c!["name"]!, c => (string?)c!["status"]);
            Assert.Equal((200, "Degraded", "Degraded", "Healthy"),
                ((int)response.StatusCode, (string?)report["status"], entries["registry-database-replica"], entries["registry-database"]));
        }
        finally
        {
            await host.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await TestInfrastructure.DropDatabaseAsync(database);
        }
    }

    /// <summary>The registry on <paramref name="database"/> (PostgreSQL, RabbitMQ) reading its read-heavy paths at <paramref name="reads"/>.</summary>
    private static async Task<RegistryHost> RegistryReadingAsync(string database, string reads) => new(new Dictionary<string, string?>
    {
        ["PopInfo:Database:Provider"] = "PostgreSql",
        ["PopInfo:Database:ConnectionString"] = database,
        ["PopInfo:Database:ReadConnectionString"] = reads,
        ["PopInfo:Database:AllowSuperuser"] = "true",
        ["PopInfo:Bus:Transport"] = "RabbitMq",
        ["PopInfo:Bus:RabbitMqUri"] = (await TestInfrastructure.RabbitMqAsync()).ToString(),
    });

    private static async Task<JsonArray> ChangesAfterAsync(HttpClient client, long after) =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/v1/changes?after={after}"))!["changes"]!.AsArray();

    // The snapshot's header sequence and the persons it streamed (its trailer's count).
    private static async Task<(long Sequence, int Persons)> SnapshotAsync(HttpClient client)
    {
        var lines = (await client.GetStringAsync("/api/v1/snapshot?fields=name")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return ((long)JsonNode.Parse(lines[0])!["sequence"]!, lines.Length - 2);
    }
}
