using Microsoft.Extensions.Options;
using PopInfo.Monitoring.Leadership;
using PopInfo.Monitoring.Notifications;
using PopInfo.Monitoring.Samples;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Monitoring.Flow;

/// <summary>One department's flow as last sampled (null where the department does not use that channel).</summary>
public sealed record DepartmentFlow(
    string Department, DateTimeOffset TakenAt, double Backlog, double LagSeconds, double LastSequence, double? Acknowledged, double? Consumers,
    double? WebhookDelivered, double? WebhookPending, double? DeadLetters, double? Held);

/// <summary>A read model (sharing, analytics) as last sampled: how far behind the register, in seconds and sequences.</summary>
public sealed record ReadModelFlow(string Name, DateTimeOffset TakenAt, double SecondsBehind, double SequencesBehind);

/// <summary>
/// The platform's flow now, from the latest samples (at most <c>StaleAfter</c> old): the registry's relay, every department,
/// the read models, the latest value of every other metric by subject, and the notifications' outbox.
/// </summary>
public sealed record FlowView(
    DateTimeOffset Now, DateTimeOffset Since, double? RegistryRelayBacklog, double? RegistryLastSequence, IReadOnlyList<DepartmentFlow> Departments,
    IReadOnlyList<ReadModelFlow> ReadModels, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Latest, long NotificationsPending,
    long NotificationsGivenUp, bool ThisInstanceLeads);

/// <summary>A metric's samples over time (for the dashboard's charts).</summary>
public sealed record SampleSeries(string Metric, string? Subject, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<StoredSample> Samples, bool Truncated);

/// <summary>The flow and the samples for operators (docs/monitoring.md, "Flow").</summary>
public sealed class FlowService(SampleStore samples, NotificationStore notifications, LeaderLease lease, IOptions<MonitoringOptions> options, TimeProvider clock)
{
    public const int MaxSeriesSamples = 10_000;
    public static readonly TimeSpan MaxSeriesRange = TimeSpan.FromDays(35);

    public async Task<FlowView> NowAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var since = now - options.Value.StaleAfter;
        var latest = await samples.LatestAsync(since, ct);
        var byMetric = latest.GroupBy(s => s.Metric, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToDictionary(s => s.Subject, StringComparer.Ordinal), StringComparer.Ordinal);

        double? Value(string metric, string subject) =>
            byMetric.TryGetValue(metric, out var subjects) && subjects.TryGetValue(subject, out var s) ? s.Value : null;

        var departments = byMetric.TryGetValue(Metrics.DepartmentBacklog, out var backlogs)
            ? backlogs.Values.OrderBy(s => s.Subject, StringComparer.Ordinal).Select(b => new DepartmentFlow(
                b.Subject, b.TakenAt, b.Value, Value(Metrics.DepartmentLagSeconds, b.Subject) ?? 0, Value(Metrics.DepartmentLastSequence, b.Subject) ?? 0,
                Value(Metrics.DepartmentAcknowledged, b.Subject), Value(Metrics.DepartmentConsumers, b.Subject),
                Value(Metrics.DepartmentWebhookDelivered, b.Subject), Value(Metrics.DepartmentWebhookPending, b.Subject),
                Value(Metrics.DepartmentDeadLetters, b.Subject), Value(Metrics.DepartmentHeld, b.Subject))).ToList()
            : [];
        var readModels = byMetric.TryGetValue(Metrics.ReadModelSecondsBehind, out var models)
            ? models.Values.OrderBy(s => s.Subject, StringComparer.Ordinal)
                .Select(m => new ReadModelFlow(m.Subject, m.TakenAt, m.Value, Value(Metrics.ReadModelSequencesBehind, m.Subject) ?? 0)).ToList()
            : [];
        var (pending, givenUp) = await notifications.CountsAsync(ct);
        return new FlowView(now, since, Value(Metrics.RegistryRelayBacklog, "registry"), Value(Metrics.RegistryLastSequence, "registry"), departments, readModels,
            byMetric.ToDictionary(m => m.Key, m => (IReadOnlyDictionary<string, double>)m.Value.ToDictionary(s => s.Key, s => s.Value.Value, StringComparer.Ordinal),
                StringComparer.Ordinal),
            pending, givenUp, lease.IsHeld);
    }

    public async Task<Result<SampleSeries>> SeriesAsync(string? metric, string? subject, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var end = to ?? now;
        var start = from ?? end - TimeSpan.FromHours(1);
        var violations = TextViolations.Check(("subject", subject));
        if (!Metrics.IsKnown(metric))
        {
            violations.Add(new("metric", "metric.known", "metric is one the monitoring service samples (docs/monitoring.md, \"Samples\")."));
        }

        if (start > end)
        {
            violations.Add(new("from", "range", "from is not after to."));
        }
        else if (end - start > MaxSeriesRange)
        {
            violations.Add(new("from", "range", $"from and to are at most {MaxSeriesRange.TotalDays} days apart (the samples' retention)."));
        }

        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var series = await samples.SeriesAsync(metric!, subject, start, end, MaxSeriesSamples + 1, ct);
        return new SampleSeries(metric!, subject, start, end, series.Take(MaxSeriesSamples).ToList(), series.Count > MaxSeriesSamples);
    }
}
