using PopInfo.ServiceDefaults.Messaging;
using System.ComponentModel.DataAnnotations;

namespace PopInfo.ServiceDefaults;

/// <summary>Settings shared by every service, bound from the <c>PopInfo</c> section (env: <c>PopInfo__Database__Provider</c>...).</summary>
public sealed class PlatformOptions
{
    public const string Section = "PopInfo";

    [Required]
    public DatabaseOptions Database { get; set; } = new();

    [Required]
    public BusOptions Bus { get; set; } = new();

    [Required]
    public LeaseOptions Leases { get; set; } = new();
}

/// <summary>The leases of the single-active loops (docs/architecture.md, "Several instances: single-active loops").</summary>
public sealed class LeaseOptions
{
    /// <summary>
    /// How long a lease lasts without renewal: a killed leader's loops are taken over by another instance this long after
    /// its last renewal (and up to a third of it more); a leader renews every third of it.
    /// </summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(10);
}

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,

    /// <summary>SQL Server 2022 or later (docs/adr/0009-sql-server.md): one database per service, <c>{database}_{service}</c>.</summary>
    SqlServer,
}

public sealed class DatabaseOptions
{
    /// <summary>Sqlite (embedded default), PostgreSql (distributed, production) or SqlServer (distributed, where SQL Server is the house database).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// PostgreSQL: the connection string of the platform's database; each service works in its own schema of it.
    /// SQL Server: the connection string of the server (its <c>Database</c>, default <c>popinfo</c>, names the platform);
    /// each service works in a database of its own, <c>{Database}_{service}</c>, created at its first start.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// PostgreSQL: the connection string of the service's schema owner, used only at start to run the
    /// migrations and grant the runtime role (the user of <see cref="ConnectionString"/>) its rights; its
    /// connections are closed before the service listens (docs/database-roles.md).
    /// </summary>
    public string? MigrationConnectionString { get; set; }

    /// <summary>
    /// PostgreSQL only: the connection string of a streaming replica (a hot standby) of the same database, for the service's
    /// read-heavy paths — the registry's snapshot, population counts and change feed, the sharing service's look-ups, the
    /// exchange's department feeds (docs/database-replica.md). Absent: they read the primary like everything else. The
    /// same runtime role as <see cref="ConnectionString"/> (roles replicate).
    /// </summary>
    public string? ReadConnectionString { get; set; }

    /// <summary>
    /// With <see cref="ReadConnectionString"/>: how long the replica counts as away once a read could not reach it — its reads
    /// go to the primary meanwhile; the first read after it tries the replica again (docs/database-replica.md). 1 s to 10 min.
    /// </summary>
    public TimeSpan ReplicaRetryAfter { get; set; } = Data.ReplicaAvailability.DefaultRetryAfter;

    /// <summary>
    /// With <see cref="ReadConnectionString"/>: how far behind the primary the replica may be and still take the reads; further
    /// behind, they go to the primary until it has caught up (docs/database-replica.md). 1 s to 1 h; 30 s by default, the
    /// monitoring service's <c>replica-lagging</c> threshold.
    /// </summary>
    public TimeSpan ReplicaMaxLag { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Development and tests only: lets the runtime connection be a superuser (or its schema's owner) and,
    /// without <see cref="MigrationConnectionString"/>, run the migrations itself.
    /// </summary>
    public bool AllowSuperuser { get; set; }

    /// <summary>SQLite: the folder holding one database file per service.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";
}

public enum BusTransport
{
    InMemory,
    RabbitMq,
}

public sealed class BusOptions
{
    /// <summary>InMemory (embedded default, one process) or RabbitMq (distributed).</summary>
    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    /// <summary>RabbitMQ: amqp://user:password@host:port/vhost.</summary>
    public Uri? RabbitMqUri { get; set; }

    /// <summary>Messages a consumer endpoint may hold unacknowledged; 256 was measured to be much faster than the default 16 here.</summary>
    [Range(1, 10_000)]
    public int PrefetchCount { get; set; } = 256;

    /// <summary>
    /// RabbitMQ cluster: every node's "host:port", comma-separated (e.g. "127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683").
    /// The user, password and virtual host stay <see cref="RabbitMqUri"/>'s; its host is then not used. Each connection
    /// (MassTransit's, the exchange's own) tries the nodes in turn, so a stopped node is passed over (docs/broker.md).
    /// </summary>
    public string? RabbitMqNodes { get; set; }

    /// <summary>
    /// How often a quorum queue hands one message out (a consumer that died or gave it back counts) before it is
    /// dead-lettered to its service's <c>popinfo.{service}.dead-letter</c> queue (docs/broker.md).
    /// </summary>
    [Range(1, 1_000)]
    public int DeliveryLimit { get; set; } = QuorumQueues.DefaultDeliveryLimit;
}
