using System.Diagnostics;
using Npgsql;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Replica;

/// <summary>
/// A streaming replica of the tests' PostgreSQL of this test's own — its port, data directory, slot and log, by
/// deploy/local/infra.sh's replica functions — so that it can be stopped and started again without touching the replica
/// the other tests share (5442). Disposing removes it: stopped, its slot dropped on the primary, its directory deleted.
/// </summary>
public sealed class StoppableReplica : IAsyncDisposable
{
    public const int Port = 5452;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["POPINFO_PG_REPLICA_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["POPINFO_PG_REPLICA_DIR"] = "/var/lib/postgresql/15/popinfo-replica-fallback-test",
        ["POPINFO_PG_REPLICA_SLOT"] = "popinfo_replica_fallback_test",
        ["POPINFO_PG_REPLICA_LOG"] = "/var/log/postgresql/postgresql-15-popinfo-replica-fallback-test.log",
    };

    private readonly string script = Path.Combine(RepositoryRoot.Path, "deploy", "local", "infra.sh");

    private StoppableReplica()
    {
    }

    /// <summary>Makes the replica (a base backup of the primary) and returns once it streams.</summary>
    public static async Task<StoppableReplica> StartAsync()
    {
        var replica = new StoppableReplica();
        try
        {
            await replica.StartAgainAsync();
            return replica;
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fast shutdown (pg_ctl stop -m fast: its sessions end with 57P01); its slot stays.</summary>
    public Task StopAsync() => InfraAsync("pg-replica-stop");

    /// <summary>Starts the stopped replica; returns once it streams again.</summary>
    public Task StartAgainAsync() => InfraAsync("pg-replica");

    /// <summary>The database of <paramref name="primary"/> on this replica, once the replica has replayed its creation.</summary>
    public static async Task<string> OfAsync(string primary)
    {
        var replica = new NpgsqlConnectionStringBuilder(primary) { Port = Port }.ConnectionString;
        await Poll.UntilAsync(async () =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(replica) { Pooling = false }.ConnectionString);
                await connection.OpenAsync();
                return true;
            }
            catch (PostgresException e) when (e.SqlState == "3D000")
            {
                return false;
            }
        }, "the replica to replay the database's creation");
        return replica;
    }

    public async ValueTask DisposeAsync() => await InfraAsync("pg-replica-remove");

    private async Task InfraAsync(string command)
    {
        var start = new ProcessStartInfo("bash", [script, command]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var (name, value) in Settings)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {command} failed ({process.ExitCode}): {await errors} {await output}");
        }
    }
}
