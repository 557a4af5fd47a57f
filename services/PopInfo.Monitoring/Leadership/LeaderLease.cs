using System.Data.Common;
using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Monitoring.Leadership;

/// <summary>
/// One instance at a time samples, evaluates and notifies (ADR 0004 decision 3): the one whose database session holds the
/// lock named <see cref="Name"/> (PostgreSQL: a session advisory lock; SQLite: one process per file). The lock lives as long
/// as the session: an instance that dies or loses its connection loses it, and another takes it at its next tick.
/// </summary>
public sealed class LeaderLease([FromKeyedServices(MonitoringModule.Name)] ServiceDatabase database, ILogger<LeaderLease> logger) : IAsyncDisposable
{
    public const string Name = "popinfo-monitoring-leader";

    private readonly SemaphoreSlim gate = new(1, 1);
    private DbConnection? session;

    /// <summary>True while this instance leads; checked (and, if lost, taken again when free) at every call.</summary>
    public bool IsHeld => session is not null;

    /// <summary>
    /// Holds the lease or tries to take it: true when this instance leads now. A held session is checked with a round trip
    /// first, so that a leader whose connection broke (and whose lock the database let go) stops acting at once.
    /// </summary>
    public async Task<bool> HoldAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (session is not null)
            {
                try
                {
                    await session.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: ct));
                    return true;
                }
                catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
                {
                    logger.LogWarning("The monitoring leader's session broke ({Kind}): the lease is lost.", e.GetType().Name);
                    await ReleaseAsync(broken: true);
                }
            }

            var connection = await database.OpenConnectionAsync(ct);
            try
            {
                if (await database.Dialect.TryLockSessionAsync(connection, Name, ct))
                {
                    session = connection;
                    logger.LogInformation("This monitoring instance took the lease: it samples, evaluates and notifies.");
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
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync(broken: false);
        gate.Dispose();
    }

    private async Task ReleaseAsync(bool broken)
    {
        if (session is not { } held)
        {
            return;
        }

        session = null;
        try
        {
            // A broken session's lock went with it; a sound one is unlocked before the connection goes back to the pool.
            if (!broken)
            {
                await database.Dialect.UnlockSessionAsync(held, Name, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            logger.LogWarning("Unlocking the monitoring lease failed ({Kind}); the session is closed instead.", e.GetType().Name);
        }
        finally
        {
            await held.DisposeAsync();
        }
    }
}
