using System.Data.Common;
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
    // The lease's own session (not shared: its lock is this instance's leadership), used under the gate.
    private readonly LeaderSessionStore session = new(database);

    /// <summary>True while this instance leads; checked (and, if lost, taken again when free) at every call.</summary>
    public bool IsHeld => session.IsOpen;

    /// <summary>
    /// Holds the lease or tries to take it: true when this instance leads now. A held session is checked with a round trip
    /// first, so that a leader whose connection broke (and whose lock the database let go) stops acting at once.
    /// </summary>
    public async Task<bool> HoldAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (session.IsOpen)
            {
                try
                {
                    await session.CheckAsync(ct);
                    return true;
                }
                catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
                {
                    logger.LogWarning("The monitoring leader's session broke ({Kind}): the lease is lost.", e.GetType().Name);
                    await ReleaseAsync(broken: true);
                }
            }

            if (await session.TryLockAsync(Name, ct))
            {
                logger.LogInformation("This monitoring instance took the lease: it samples, evaluates and notifies.");
                return true;
            }

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
        try
        {
            // A broken session's lock went with it; a sound one is unlocked before the connection goes back to the pool.
            await session.ReleaseAsync(Name, unlock: !broken);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            logger.LogWarning("Unlocking the monitoring lease failed ({Kind}); the session is closed instead.", e.GetType().Name);
        }
    }
}
