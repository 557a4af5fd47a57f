using Microsoft.Extensions.Options;
using PopInfo.Monitoring.Alerts;
using PopInfo.Monitoring.Health;
using PopInfo.Monitoring.Leadership;
using PopInfo.Monitoring.Notifications;
using PopInfo.Monitoring.Samples;

namespace PopInfo.Monitoring;

/// <summary>
/// The monitoring service's one loop (ADR 0004): every <c>SampleInterval</c>, on the instance holding the lease, it samples
/// every source, evaluates the alert rules over the samples, posts the notifications due, and now and then samples the
/// data-quality counts and the desk's clearing of the day before, and prunes old samples. The first tick runs at start, so a restarted service evaluates at once.
/// An alert therefore fires at most one interval (15 s by default) after its condition has held for the rule's duration.
/// </summary>
public sealed class MonitoringLoop(
    LeaderLease lease, HealthService health, FlowSources flow, DeskClearingSource clearing, SampleStore samples, AlertEvaluator evaluator, NotificationRelay notifications,
    IOptions<MonitoringOptions> options, TimeProvider clock, ILogger<MonitoringLoop> logger) : BackgroundService
{
    private DateTimeOffset qualityDue = DateTimeOffset.MinValue;
    private DateTimeOffset clearingDue = DateTimeOffset.MinValue;
    private DateTimeOffset pruneDue = DateTimeOffset.MinValue;

    /// <summary>Ticks done (for tests that wait for one more).</summary>
    public long Ticks => Interlocked.Read(ref ticks);

    private long ticks;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval, clock);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The kind only: a message could hold a connection's details. The next tick tries again.
                logger.LogError("A monitoring tick failed ({Kind}).", e.GetType().Name);
            }

            Interlocked.Increment(ref ticks);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One tick: nothing unless this instance leads.</summary>
    public async Task TickAsync(CancellationToken ct)
    {
        if (!await lease.HoldAsync(ct))
        {
            return;
        }

        var settings = options.Value;
        var now = clock.GetUtcNow();
        var platform = await health.NowAsync(ct);
        var taken = HealthSamples.From(platform).Concat(await flow.FlowAsync(ct)).ToList();
        if (now >= qualityDue)
        {
            qualityDue = now + settings.QualityInterval;
            taken.AddRange(await flow.QualityAsync(ct));
        }

        if (now >= clearingDue)
        {
            clearingDue = now + settings.ClearingInterval;
            taken.AddRange(await clearing.YesterdayAsync(ct));
        }

        await samples.AddAsync(platform.TakenAt, taken, ct);
        await evaluator.EvaluateAsync(clock.GetUtcNow(), ct);
        await notifications.SendDueAsync(lease.HoldAsync, ct);
        if (now >= pruneDue)
        {
            pruneDue = now + TimeSpan.FromHours(1);
            await samples.PruneAsync(now - settings.SampleRetention, ct);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await lease.DisposeAsync();
    }
}
