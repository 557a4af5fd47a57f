using Dapper;
using Npgsql;

namespace PopInfo.Monitoring.Health;

/// <summary>
/// PostgreSQL as its own statistics views tell it, read by a role with <c>pg_monitor</c> (docs/monitoring.md): the server's
/// version, client connections by state and the limit, every database's size, and the streaming replicas with their lag.
/// </summary>
public sealed class DatabaseMonitorStore
{
    /// <summary>
    /// Reads the database's health within <paramref name="timeout"/>; a database that cannot answer is unhealthy with the
    /// kind of its error (and SQL state), "timeout" when the time ran out.
    /// </summary>
    public async Task<DatabaseHealth> ProbeAsync(string connectionString, TimeSpan timeout, CancellationToken ct)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(ct);
        probe.CancelAfter(timeout);
        try
        {
            return await ReadAsync(connectionString, probe.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            // The kind and the SQL state only: a message may quote a connection's details.
            var problem = e is OperationCanceledException && !ct.IsCancellationRequested ? "timeout"
                : e is PostgresException pg ? $"{e.GetType().Name} {pg.SqlState}" : e.GetType().Name;
            return new DatabaseHealth(false, null, 0, new Dictionary<string, long>(), [], [], problem);
        }
    }

    public async Task<DatabaseHealth> ReadAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var version = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT current_setting('server_version')", cancellationToken: ct));
        var maxConnections = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT current_setting('max_connections')::int", cancellationToken: ct));
        var states = (await connection.QueryAsync<ConnectionRow>(new CommandDefinition(
            "SELECT COALESCE(state, 'unknown') AS State, COUNT(*) AS Count FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1 ORDER BY 1",
            cancellationToken: ct))).ToDictionary(r => r.State, r => r.Count, StringComparer.Ordinal);
        var databases = (await connection.QueryAsync<DatabaseSize>(new CommandDefinition(
            "SELECT datname AS Name, pg_database_size(datname) AS Bytes FROM pg_database WHERE NOT datistemplate ORDER BY 2 DESC, 1",
            cancellationToken: ct))).ToList();
        var replicas = (await connection.QueryAsync<ReplicaState>(new CommandDefinition(
            "SELECT application_name AS Name, state AS State, sync_state AS SyncState, EXTRACT(epoch FROM replay_lag)::float8 AS ReplayLagSeconds FROM pg_stat_replication ORDER BY 1",
            cancellationToken: ct))).ToList();
        return new DatabaseHealth(true, version, maxConnections, states, databases, replicas, null);
    }

    private sealed class ConnectionRow
    {
        public string State { get; init; } = "";
        public long Count { get; init; }
    }
}
