using System.Data.Common;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// One connection and, when the work writes or must read one consistent state, its transaction: what an application
/// service hands to the stores it calls. The service decides where the work begins and whether it commits; the stores
/// say what SQL runs in it (the house rule: SQL only in stores, so only they read <see cref="Connection"/>). Disposing
/// without <see cref="CommitAsync"/> rolls the transaction back and returns the connection to its pool.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    internal UnitOfWork(DbConnection connection, DbTransaction? transaction, SqlDialect dialect)
    {
        Connection = connection;
        Transaction = transaction;
        Dialect = dialect;
    }

    /// <summary>For stores only: the connection the work runs on.</summary>
    public DbConnection Connection { get; }

    /// <summary>For stores only: the work's transaction; none for a read that needs no consistent snapshot.</summary>
    public DbTransaction? Transaction { get; }

    public SqlDialect Dialect { get; }

    /// <summary>Commits the work's transaction (a work without one has nothing to commit).</summary>
    public Task CommitAsync(CancellationToken cancellationToken) =>
        Transaction is null ? Task.CompletedTask : Transaction.CommitAsync(cancellationToken);

    /// <summary>
    /// Takes the named lock for the rest of the transaction (<see cref="SqlDialect.LockAsync"/>): shared by readers of a
    /// thing, exclusive for the one who changes it.
    /// </summary>
    public Task LockAsync(string name, bool shared, CancellationToken cancellationToken) =>
        Dialect.LockAsync(Connection, Transaction ?? throw new InvalidOperationException("A lock is held by a transaction; this work has none."),
            name, shared, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Transaction is not null)
        {
            await Transaction.DisposeAsync();
        }

        await Connection.DisposeAsync();
    }
}
