using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PopInfo.IntegrationTests.Data;
using PopInfo.ServiceDefaults.Data;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Replica;

/// <summary>
/// A service's database of its own on the tests' PostgreSQL server, migrated there, with its reads pointed at the server's
/// streaming replica (<see cref="ServiceDatabase.Reads"/>, as <c>PopInfo:Database:ReadConnectionString</c> makes it), and the
/// means to hold the replica's replay still: what a lagging replica looks like, on demand.
/// </summary>
public sealed class ReplicaDatabase : IAsyncDisposable
{
    private readonly PostgreSqlDialect primary;
    private readonly PostgreSqlDialect replica;

    private ReplicaDatabase(string service, string primaryConnectionString, string replicaConnectionString)
    {
        primary = PostgreSqlDialect.Create(primaryConnectionString, service);
        replica = PostgreSqlDialect.Create(replicaConnectionString, service);
        PrimaryConnectionString = primaryConnectionString;
        ReplicaConnectionString = replicaConnectionString;
        Database = new ServiceDatabase(service, primary, replica);
    }

    /// <summary>Writes go to the primary, <see cref="ServiceDatabase.Reads"/> to the replica.</summary>
    public ServiceDatabase Database { get; }

    public string PrimaryConnectionString { get; }

    public string ReplicaConnectionString { get; }

    public static async Task<ReplicaDatabase> CreateAsync(string service)
    {
        DapperTypeHandlers.Register();
        var primary = await TestInfrastructure.CreateDatabaseAsync();
        var database = new ReplicaDatabase(service, primary, await TestInfrastructure.ReplicaOfAsync(primary));
        await DatabaseMigrator.MigrateAsync(database.Database, ServiceMigrations.All[service], NullLogger.Instance, CancellationToken.None);
        await database.ReplayedAsync();
        return database;
    }

    /// <summary>Returns once the replica has replayed everything the primary had written when it was called (its tables, say).</summary>
    public Task ReplayedAsync() => ReplayedAsync(PrimaryConnectionString, ReplicaConnectionString);

    /// <inheritdoc cref="ReplayedAsync()"/>
    public static async Task ReplayedAsync(string primary, string replica)
    {
        await using var primaryConnection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(primary) { Pooling = false }.ConnectionString);
        await primaryConnection.OpenAsync();
        var written = await primaryConnection.ExecuteScalarAsync<string>("SELECT pg_current_wal_lsn()::text");
        await using var replicaConnection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(replica) { Pooling = false }.ConnectionString);
        await replicaConnection.OpenAsync();
        await Poll.UntilAsync(async () => await replicaConnection.ExecuteScalarAsync<bool>("SELECT pg_last_wal_replay_lsn() >= @written::pg_lsn", new { written }),
            "the replica to replay the primary's WAL");
    }

    /// <summary>Holds the replica's replay still until the returned pause is disposed (<see cref="ReplayPause"/>).</summary>
    public Task<IAsyncDisposable> PauseReplayAsync() => ReplayPause.StartAsync(ReplicaConnectionString);

    public async ValueTask DisposeAsync()
    {
        await primary.DataSource.DisposeAsync();
        await replica.DataSource.DisposeAsync();
        await TestInfrastructure.DropDatabaseAsync(PrimaryConnectionString);
    }
}

/// <summary>
/// Stops the replica's replay (it goes on receiving WAL) until disposed; <see cref="StartAsync"/> returns once replay has
/// stopped, so that what the primary commits from then on is not on the replica. The replica is the whole server's: only
/// the tests of this folder use it, one at a time (<see cref="ReplicaCollection"/>).
/// </summary>
public sealed class ReplayPause : IAsyncDisposable
{
    private readonly string replica;

    private ReplayPause(string replica) => this.replica = replica;

    /// <summary><paramref name="replica"/>: a connection string of the replica as a superuser (pausing replay is theirs).</summary>
    public static async Task<IAsyncDisposable> StartAsync(string replica)
    {
        await using var connection = await OpenAsync(replica);
        await connection.ExecuteAsync("SELECT pg_wal_replay_pause()");
        await Poll.UntilAsync(async () => await connection.ExecuteScalarAsync<string>("SELECT pg_get_wal_replay_pause_state()") == "paused",
            "the replica's replay to pause");
        return new ReplayPause(replica);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = await OpenAsync(replica);
        await connection.ExecuteAsync("SELECT pg_wal_replay_resume()");
    }

    private static async Task<NpgsqlConnection> OpenAsync(string replica)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(replica) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}

/// <summary>The replica tests pause the one replica's replay: they run one after the other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReplicaCollection
{
    public const string Name = "replica";
}

/// <summary>Waiting by polling (never a fixed sleep): the condition every 50 ms, failing after a minute.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited a minute for {what}.");
            }

            await Task.Delay(50);
        }
    }
}
