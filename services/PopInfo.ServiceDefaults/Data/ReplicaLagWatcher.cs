using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// Measures, every <see cref="IntervalFor"/>, how far a service's streaming replica is behind its primary
/// (<see cref="ReplicaLag"/>: the primary's WAL position noted with its time, the replica's replayed position read) and tells
/// <see cref="ReplicaAvailability"/>, which leaves the replica's reads to the primary while it is further behind than
/// <c>PopInfo:Database:ReplicaMaxLag</c> (docs/database-replica.md, "A replica far behind"). Without a replica it does
/// nothing. A server that does not answer is skipped for the round: the reads find an absent replica on their own.
/// </summary>
public sealed class ReplicaLagWatcher(ServiceDatabase database, TimeSpan maxLag, TimeProvider clock, ILogger<ReplicaLagWatcher> logger) : BackgroundService
{
    /// <summary>A tenth of the allowed lag, from half a second to five: the measure's step is small beside what it guards.</summary>
    public static TimeSpan IntervalFor(TimeSpan maxLag) =>
        TimeSpan.FromTicks(Math.Clamp(maxLag.Ticks / 10, TimeSpan.FromMilliseconds(500).Ticks, TimeSpan.FromSeconds(5).Ticks));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.ReplicaAvailability is not { } availability || database.ReplicaDialect is not { } replica)
        {
            return;
        }

        var lag = new ReplicaLag();
        var interval = IntervalFor(maxLag);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using (var primary = await database.Dialect.OpenConnectionAsync(stoppingToken))
                {
                    lag.NotePrimary(clock.GetUtcNow(), await ReplicaPositionStore.PrimaryAsync(primary, stoppingToken));
                }

                await using (var standby = await replica.OpenConnectionAsync(stoppingToken))
                {
                    if (await ReplicaPositionStore.ReplayedAsync(standby, stoppingToken) is not { } replayed)
                    {
                        logger.LogWarning("The {Service} database's read connection is not a standby (no replayed position): its lag is not watched",
                            database.ServiceName);
                        return;
                    }

                    availability.Measured(lag.Behind(clock.GetUtcNow(), replayed), maxLag);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The SQLSTATE or the type only: a driver's message can name the host and the user.
                logger.LogDebug("The {Service} replica's lag was not measured this round ({Error})", database.ServiceName,
                    DatabaseErrors.Describe(ex)?.Code ?? ex.GetType().Name);
            }

            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
