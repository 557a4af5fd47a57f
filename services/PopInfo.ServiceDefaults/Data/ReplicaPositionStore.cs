using System.Data.Common;
using Dapper;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// The WAL positions that measure a streaming replica's lag (<see cref="ReplicaLag"/>), in bytes: PostgreSQL only (the
/// replica is PostgreSQL's). Both functions are open to every role: the service's runtime role reads them.
/// </summary>
internal static class ReplicaPositionStore
{
    /// <summary>The primary's current WAL write position.</summary>
    public static Task<long> PrimaryAsync(DbConnection primary, CancellationToken ct) =>
        primary.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT CAST(pg_current_wal_lsn() - CAST('0/0' AS pg_lsn) AS bigint)", cancellationToken: ct));

    /// <summary>The last WAL position the replica has replayed; null on a server that is not a standby.</summary>
    public static Task<long?> ReplayedAsync(DbConnection replica, CancellationToken ct) =>
        replica.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT CAST(pg_last_wal_replay_lsn() - CAST('0/0' AS pg_lsn) AS bigint)", cancellationToken: ct));
}
