using System.Data.Common;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>One service's database: its schema (PostgreSQL) or file (SQLite), and the dialect to reach it.</summary>
public sealed class ServiceDatabase(string serviceName, SqlDialect dialect)
{
    public string ServiceName { get; } = serviceName;

    public SqlDialect Dialect { get; } = dialect;

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
