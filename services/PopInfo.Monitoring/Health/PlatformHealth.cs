namespace PopInfo.Monitoring.Health;

/// <summary>
/// The platform at one moment: every watched service, the broker and the database (each null when not configured).
/// </summary>
public sealed record PlatformHealth(DateTimeOffset TakenAt, IReadOnlyList<ServiceHealth> Services, BrokerHealth? Broker, DatabaseHealth? Database)
{
    /// <summary>True when every service is live and ready, the broker (if watched) answers with no alarm, and the database (if watched) answers.</summary>
    public bool AllWell => Services.All(s => s.Live && s.Ready) && (Broker is null || (Broker.Answered && Broker.Alarms.Count == 0))
        && (Database is null || Database.Answered);
}

/// <summary>
/// One service: live (the process answers), ready (its database and broker answer too) with the HTTP statuses they gave,
/// its version, its readiness checks with their states, how long the answers took, and why it could not be asked (null
/// when it could).
/// </summary>
public sealed record ServiceHealth(
    string Name, Uri Address, bool Live, bool Ready, int? LiveStatus, int? ReadyStatus, string? Version, IReadOnlyList<CheckState> Checks,
    double Milliseconds, string? Problem);

/// <summary>One readiness check as the service reports it.</summary>
public sealed record CheckState(string Name, string Status);

/// <summary>
/// The broker from its management API: whether it answered, its version, nodes (running, memory and disk alarms), totals
/// over every queue, and the deepest queues.
/// </summary>
public sealed record BrokerHealth(
    bool Answered, string? Version, IReadOnlyList<BrokerNode> Nodes, IReadOnlyList<string> Alarms, QueueTotals Totals, IReadOnlyList<QueueState> DeepestQueues,
    string? Problem);

public sealed record BrokerNode(string Name, bool Running, bool MemoryAlarm, bool DiskAlarm);

public sealed record QueueTotals(int Queues, long Messages, long Ready, long Unacknowledged, int Consumers, double PublishPerSecond, double DeliverPerSecond);

/// <summary>A queue: where, how deep, ready and unacknowledged, its consumers and rates (messages a second).</summary>
public sealed record QueueState(string VirtualHost, string Name, long Messages, long Ready, long Unacknowledged, int Consumers, double PublishPerSecond, double DeliverPerSecond);

/// <summary>
/// PostgreSQL: whether it answered, its version, client connections by state against the limit, each database's size in
/// bytes, and the streaming replicas (none unless one is attached) with their replay lag.
/// </summary>
public sealed record DatabaseHealth(
    bool Answered, string? Version, int MaxConnections, IReadOnlyDictionary<string, long> Connections, IReadOnlyList<DatabaseSize> Databases,
    IReadOnlyList<ReplicaState> Replicas, string? Problem);

public sealed class DatabaseSize
{
    public string Name { get; init; } = "";
    public long Bytes { get; init; }
}

public sealed class ReplicaState
{
    public string Name { get; init; } = "";
    public string? State { get; init; }
    public string? SyncState { get; init; }
    /// <summary>Seconds the replica's replay is behind (0 when it has replayed everything); null while it is not attached.</summary>
    public double? ReplayLagSeconds { get; init; }

    /// <summary>WAL bytes written on the primary that the replica has not replayed (not received, while it is away); null without a position.</summary>
    public long? BytesBehind { get; init; }
}
