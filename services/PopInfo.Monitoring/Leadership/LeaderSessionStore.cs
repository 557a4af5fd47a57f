using System.Data.Common;
using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Monitoring.Leadership;

/// <summary>
/// The leader's database session (<see cref="LeaderLease"/>): a connection held open with a session lock on it
/// (<see cref="SqlDialect.TryLockSessionAsync"/>), checked by a round trip, unlocked and closed when let go. One per lease:
/// the lease owns it and calls it under its own gate, so this keeps no lock of its own.
/// </summary>
public sealed class LeaderSessionStore(ServiceDatabase database)
{
    private DbConnection? session;

    /// <summary>True while a session holding the lock is open.</summary>
    public bool IsOpen => session is not null;

    /// <summary>A round trip on the held session; throws as the driver does when the session broke.</summary>
    public Task CheckAsync(CancellationToken ct) =>
        session!.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: ct));

    /// <summary>Opens a session and tries to take the lock <paramref name="name"/> on it: kept when taken, closed when not.</summary>
    public async Task<bool> TryLockAsync(string name, CancellationToken ct)
    {
        var connection = await database.OpenConnectionAsync(ct);
        try
        {
            if (await database.Dialect.TryLockSessionAsync(connection, name, ct))
            {
                session = connection;
                return true;
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return false;
    }

    /// <summary>
    /// Lets the held session go (none held: nothing): unlocks <paramref name="name"/> first when <paramref name="unlock"/>
    /// (a broken session's lock went with it), then closes the connection whether or not the unlock succeeded; an unlock's
    /// error is thrown after the close.
    /// </summary>
    public async Task ReleaseAsync(string name, bool unlock)
    {
        if (session is not { } held)
        {
            return;
        }

        session = null;
        try
        {
            if (unlock)
            {
                await database.Dialect.UnlockSessionAsync(held, name, CancellationToken.None);
            }
        }
        finally
        {
            await held.DisposeAsync();
        }
    }
}
