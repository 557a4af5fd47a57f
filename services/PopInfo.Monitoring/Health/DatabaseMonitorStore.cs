using Dapper;
using Npgsql;

namespace PopInfo.Monitoring.Health;

/// <summary>
/// PostgreSQL as its own statistics views tell it, read by a role with <c>pg_monitor</c> (docs/monitoring.md): the server's
/// version, client connections by state and the limit, every database's size, and the streaming replicas with their lag
/// (<see cref="ReplicasSql"/>).
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
        var replicas = (await connection.QueryAsync<ReplicaState>(new CommandDefinition(ReplicasSql, cancellationToken: ct))).ToList();
        return new DatabaseHealth(true, version, maxConnections, states, databases, replicas, null);
    }

    /// <summary>
    /// Every streaming replica, attached or not: the senders of <c>pg_stat_replication</c> with the physical slots of
    /// <c>pg_replication_slots</c> (a replica that went away still holds its slot, and WAL piles up behind it). Named by its
    /// slot where it has one. The replay lag is PostgreSQL's own measure, 0 once the replica has replayed everything (the view
    /// then shows NULL); it stops growing while replay is stuck (a recovery conflict holds it), which the bytes behind — WAL
    /// written on the primary and not yet replayed (for a replica away, not yet received by its slot) — do not. On a server
    /// that is itself a replica there is no current WAL position: no rows.
    /// </summary>
    internal const string ReplicasSql =
        """
        SELECT COALESCE(s.slot_name, r.application_name) AS Name, COALESCE(r.state, 'disconnected') AS State, r.sync_state AS SyncState,
               CASE WHEN r.pid IS NULL THEN NULL
                    WHEN r.replay_lsn = pg_current_wal_lsn() THEN 0
                    ELSE COALESCE(EXTRACT(epoch FROM r.replay_lag)::float8, 0) END AS ReplayLagSeconds,
               pg_wal_lsn_diff(pg_current_wal_lsn(), COALESCE(r.replay_lsn, s.restart_lsn))::bigint AS BytesBehind
        FROM pg_stat_replication r
        FULL JOIN (SELECT slot_name, active_pid, restart_lsn FROM pg_replication_slots WHERE slot_type = 'physical') s ON s.active_pid = r.pid
        WHERE NOT pg_is_in_recovery()
        ORDER BY 1
        """;

    private sealed class ConnectionRow
    {
        public string State { get; init; } = "";
        public long Count { get; init; }
    }
}
