using System.Data.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// One service's database: its schema (PostgreSQL) or file (SQLite), and the dialect to reach it; with
/// <paramref name="replicaDialect"/>, a streaming replica of it for the read-heavy paths (<see cref="Reads"/>), which the
/// reads leave for the primary while it is away (<paramref name="replicaAvailability"/>).
/// </summary>
public sealed class ServiceDatabase(string serviceName, SqlDialect dialect, SqlDialect? replicaDialect = null, ReplicaAvailability? replicaAvailability = null)
{
    public string ServiceName { get; } = serviceName;

    public SqlDialect Dialect { get; } = dialect;

    private readonly SqlDialect? replicaDialect = replicaDialect;

    /// <summary>The replica's own dialect, for watching it (<see cref="ReplicaLagWatcher"/>); reads take <see cref="Reads"/>.</summary>
    internal SqlDialect? ReplicaDialect => replicaDialect;

    /// <summary>Whether the replica takes reads now; null without a replica.</summary>
    public ReplicaAvailability? ReplicaAvailability { get; } = replicaDialect is null ? null
        : replicaAvailability ?? new ReplicaAvailability(serviceName, ReplicaAvailability.DefaultRetryAfter, TimeProvider.System, NullLogger.Instance);

    // Set on a view of the replica (what Reads returns): the primary it falls back to, and whether it has.
    private ServiceDatabase? fallback;
    private bool onPrimary;

    /// <summary>
    /// Where the read-heavy paths read (docs/database-replica.md): the replica of <c>PopInfo:Database:ReadConnectionString</c>,
    /// or this database when there is none. Only for reads that may lag the primary by the replica's replay lag and that say
    /// so; never for a read that must see what this instance just wrote, and never for a write (a standby refuses it).
    /// <para>
    /// With a replica, each call gives a new view of it, decided when it is taken: on the replica, or — while the replica is
    /// away — on the primary. A view that meets the replica unreachable when it opens a connection opens it on the primary
    /// instead and stays there; it never moves from the primary to the replica. So several reads that must agree on their
    /// source (a watermark, then the look-ups it stands for) take one view and use it for all of them.
    /// </para>
    /// </summary>
    public ServiceDatabase Reads => replicaDialect is null || fallback is not null ? this
        : new ServiceDatabase(ServiceName, replicaDialect) { fallback = this, onPrimary = !ReplicaAvailability!.ShouldTry };

    /// <summary>True for a view of <see cref="Reads"/> that reads the replica (false once it has fallen back to the primary).</summary>
    public bool IsReplica => fallback is not null && !onPrimary;

    /// <summary>For stores and the data plumbing: a pooled connection of their own. Application services use the works below.</summary>
    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        if (fallback is null)
        {
            return await Dialect.OpenConnectionAsync(cancellationToken);
        }

        if (!onPrimary)
        {
            try
            {
                var connection = await Dialect.OpenConnectionAsync(cancellationToken);
                fallback.ReplicaAvailability!.Answered();
                return connection;
            }
            catch (Exception e) when (ReplicaAvailability.IsUnreachable(e) && !cancellationToken.IsCancellationRequested)
            {
                FallBack(e);
            }
        }

        fallback.ReplicaAvailability!.ReadOnPrimary();
        return await fallback.OpenConnectionAsync(cancellationToken);
    }

    /// <summary>A work in a transaction of the database's default isolation (read committed): for changes.</summary>
    public async ValueTask<UnitOfWork> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken);
        try
        {
            return new UnitOfWork(connection, await connection.BeginTransactionAsync(cancellationToken), Working);
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
            return new UnitOfWork(connection, await Working.BeginSnapshotAsync(connection, cancellationToken), Working);
        }
        catch (Exception e) when (IsReplica && ReplicaAvailability.IsCutOff(e) && !cancellationToken.IsCancellationRequested)
        {
            // A pooled connection whose server went away fails at its first statement, not at its opening.
            await connection.DisposeAsync();
            FallBack(e);
            return await BeginSnapshotAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/>, which reads on this view (<see cref="Reads"/>), and — when it was reading the replica and
    /// the replica went away under it (a pooled connection the replica's shutdown had closed fails at its first statement,
    /// not at its opening; a read its shutdown cut off) — once more, on the primary. Elsewhere it just runs it.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        if (!IsReplica)
        {
            return await read(cancellationToken);
        }

        try
        {
            return await read(cancellationToken);
        }
        catch (Exception e) when (IsReplica && ReplicaAvailability.IsCutOff(e) && !cancellationToken.IsCancellationRequested)
        {
            FallBack(e);
            return await read(cancellationToken);
        }
    }

    /// <summary>A work without a transaction: reads that need not agree with each other, each its own statement.</summary>
    public async ValueTask<UnitOfWork> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken);
        return new(connection, null, Working);
    }

    // The dialect of the database this view's connections go to now (the primary's once it has fallen back).
    private SqlDialect Working => onPrimary ? fallback!.Dialect : Dialect;

    // The replica is away: this view reads the primary from now on, and the pooled connections to the replica are dropped
    // (a server that went away leaves them broken, each failing its next statement).
    private void FallBack(Exception error)
    {
        onPrimary = true;
        fallback!.ReplicaAvailability!.Away(error);
        (Dialect as PostgreSqlDialect)?.DataSource.Clear();
    }
}
