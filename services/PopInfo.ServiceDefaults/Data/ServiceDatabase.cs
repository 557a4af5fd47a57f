using System.Data.Common;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// One service's database: its schema (PostgreSQL) or file (SQLite), and the dialect to reach it; with
/// <paramref name="replicaDialect"/>, a streaming replica of it for the read-heavy paths (<see cref="Reads"/>).
/// </summary>
public sealed class ServiceDatabase(string serviceName, SqlDialect dialect, SqlDialect? replicaDialect = null)
{
    public string ServiceName { get; } = serviceName;

    public SqlDialect Dialect { get; } = dialect;

    /// <summary>
    /// Where the read-heavy paths read (docs/database-replica.md): the replica of <c>PopInfo:Database:ReadConnectionString</c>,
    /// or this database when there is none. Only for reads that may lag the primary by the replica's replay lag and that say
    /// so; never for a read that must see what this instance just wrote, and never for a write (a standby refuses it).
    /// </summary>
    public ServiceDatabase Reads => replica ?? this;

    private readonly ServiceDatabase? replica = replicaDialect is null ? null : new ServiceDatabase(serviceName, replicaDialect) { IsReplica = true };

    /// <summary>True for the <see cref="Reads"/> of a service configured with a replica.</summary>
    public bool IsReplica { get; private init; }

    /// <summary>For stores and the data plumbing: a pooled connection of their own. Application services use the works below.</summary>
    public ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        Dialect.OpenConnectionAsync(cancellationToken);

    /// <summary>A work in a transaction of the database's default isolation (read committed): for changes.</summary>
    public async ValueTask<UnitOfWork> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken);
        try
        {
            return new UnitOfWork(connection, await connection.BeginTransactionAsync(cancellationToken), Dialect);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A work in a read-only snapshot (<see cref="SqlDialect.BeginSnapshotAsync"/>): several reads that must agree.</summary>
    public async ValueTask<UnitOfWork> BeginSnapshotAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken);
        try
        {
            return new UnitOfWork(connection, await Dialect.BeginSnapshotAsync(connection, cancellationToken), Dialect);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A work without a transaction: reads that need not agree with each other, each its own statement.</summary>
    public async ValueTask<UnitOfWork> OpenAsync(CancellationToken cancellationToken) =>
        new(await OpenConnectionAsync(cancellationToken), null, Dialect);
}
