using Microsoft.Extensions.Options;
using PopInfo.Contracts;
using PopInfo.Domain.Monitoring;
using PopInfo.Domain.Regions;

namespace PopInfo.Monitoring.Samples;

/// <summary>
/// The services' status endpoints, asked with the monitoring service's own client and a scope per service
/// (<c>registry.monitor</c>, <c>exchange.monitor</c>, <c>sharing.monitor</c>, <c>analytics.monitor</c>,
/// <c>collection.monitor</c>, <c>registry.quality</c>): positions, backlogs, lags and counts — never a person. A source that does not answer gives no
/// samples (its <c>service.ready</c> says why); the kind of failure is logged, never a message (it could hold an address).
/// </summary>
public sealed class FlowSources(
    IHttpClientFactory clients, IOptions<MonitoringOptions> options, RegionCatalogue regions, TimeProvider clock, ILogger<FlowSources> logger)
{
    /// <summary>The named HTTP client that asks <paramref name="service"/> for its status (one per scope).</summary>
    public static string ClientName(string service) => "monitoring-status-" + service;

    /// <summary>The services whose status is sampled, with the scope each is asked with.</summary>
    public static IReadOnlyDictionary<string, string> Scopes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["registry"] = ServiceDefaults.Security.PlatformScopes.RegistryMonitor,
        ["exchange"] = ServiceDefaults.Security.PlatformScopes.ExchangeMonitor,
        ["sharing"] = ServiceDefaults.Security.PlatformScopes.SharingMonitor,
        ["analytics"] = ServiceDefaults.Security.PlatformScopes.AnalyticsMonitor,
        ["collection"] = ServiceDefaults.Security.PlatformScopes.CollectionMonitor,
        ["registry-quality"] = ServiceDefaults.Security.PlatformScopes.RegistryQuality,
    };

    /// <summary>Every status source's samples, asked at once.</summary>
    public async Task<IReadOnlyList<Sample>> FlowAsync(CancellationToken ct)
    {
        var asked = new List<Task<IReadOnlyList<Sample>>>
        {
            AskAsync<RelayStatusAnswer>("registry", "api/v1/changes/status", RegistrySamples, ct),
            AskAsync<IReadOnlyList<DepartmentStatusAnswer>>("exchange", "api/v1/delivery-status", DepartmentSamples, ct),
            AskAsync<ReadModelStatusAnswer>("sharing", "api/v1/read-model/status", s => ReadModelSamples("sharing", s), ct),
            AskAsync<ReadModelStatusAnswer>("analytics", "api/v1/projection/status", s => ReadModelSamples("analytics", s), ct),
            AskAsync<IReadOnlyList<OutboxBacklog>>("collection", "api/v1/monitor/outbox", o => OutboxSamples("collection", o), ct),
            AskAsync<IReadOnlyList<OutboxBacklog>>("exchange", "api/v1/monitor/outbox", o => OutboxSamples("exchange", o), ct),
        };
        return (await Task.WhenAll(asked)).SelectMany(s => s).ToList();
    }

    /// <summary>
    /// The registry's data-quality counts of the configured region and its children; a region too large to count at once
    /// is asked through its children, one level down, until each answers.
    /// </summary>
    public async Task<IReadOnlyList<Sample>> QualityAsync(CancellationToken ct)
    {
        var samples = new List<Sample>();
        var pending = new Queue<string?>([options.Value.QualityRegion]);
        while (pending.Count > 0 && !ct.IsCancellationRequested)
        {
            var region = pending.Dequeue();
            var answer = await AskQualityAsync(region, ct);
            if (answer is QualityAnswer.TooLarge)
            {
                foreach (var child in regions.ChildrenOf(region ?? regions.CityCode))
                {
                    pending.Enqueue(child.Code);
                }

                continue;
            }

            if (answer is QualityAnswer.Counted counted)
            {
                samples.AddRange(QualitySamples(counted.Counts.Region));
                samples.AddRange(counted.Counts.Children.SelectMany(QualitySamples));
            }
        }

        // A region counted both as a child and on its own (it was too large one level up) is sampled once.
        return samples.DistinctBy(s => (s.Metric, s.Subject)).ToList();
    }

    private static IEnumerable<Sample> QualitySamples(QualityRegionAnswer region) =>
        region.Counts.Select(c => new Sample(c.Key, region.Code, c.Value));

    private async Task<QualityAnswer> AskQualityAsync(string? region, CancellationToken ct)
    {
        if (!options.Value.Watched.ContainsKey("registry"))
        {
            return new QualityAnswer.Failed();
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            // The registry reads every record of the region: allow it more than a status probe.
            timeout.CancelAfter(options.Value.ProbeTimeout * 6);
            var path = region is null ? "api/v1/quality/counts" : "api/v1/quality/counts?region=" + Uri.EscapeDataString(region);
            using var response = await clients.CreateClient(ClientName("registry-quality")).GetAsync(path, timeout.Token);
            if (response.StatusCode == System.Net.HttpStatusCode.BadRequest
                && (await response.Content.ReadAsStringAsync(timeout.Token)).Contains("quality.region-too-large", StringComparison.Ordinal))
            {
                return new QualityAnswer.TooLarge();
            }

            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<QualityCountsAnswer>(Json.Options, timeout.Token) is { } counts
                ? new QualityAnswer.Counted(counts) : new QualityAnswer.Failed();
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("The registry's data-quality counts could not be sampled ({Kind}).", e.GetType().Name);
            return new QualityAnswer.Failed();
        }
    }

    private Task<IReadOnlyList<Sample>> AskAsync<T>(string service, string path, Func<T, IEnumerable<Sample>> toSamples, CancellationToken ct) =>
        options.Value.Watched.ContainsKey(service) ? AskWatchedAsync(service, path, toSamples, ct) : Task.FromResult<IReadOnlyList<Sample>>([]);

    private async Task<IReadOnlyList<Sample>> AskWatchedAsync<T>(string service, string path, Func<T, IEnumerable<Sample>> toSamples, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.ProbeTimeout);
            var answer = await clients.CreateClient(ClientName(service)).GetFromJsonAsync<T>(path, Json.Options, timeout.Token);
            return answer is null ? [] : toSamples(answer).ToList();
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("The {Service} service's status could not be sampled ({Kind}).", service, e.GetType().Name);
            return [];
        }
    }

    private IEnumerable<Sample> OutboxSamples(string service, IReadOnlyList<OutboxBacklog> outboxes)
    {
        var now = clock.GetUtcNow();
        foreach (var outbox in outboxes)
        {
            var subject = service + "/" + outbox.Outbox;
            yield return new(Metrics.OutboxWaiting, subject, outbox.Waiting);
            yield return new(Metrics.OutboxOldestSeconds, subject, outbox.OldestAt is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0);
        }
    }

    private static IEnumerable<Sample> RegistrySamples(RelayStatusAnswer status) =>
    [
        new(Metrics.RegistryRelayBacklog, "registry", status.Backlog),
        new(Metrics.RegistryLastSequence, "registry", status.LastSequence),
    ];

    private static IEnumerable<Sample> ReadModelSamples(string model, ReadModelStatusAnswer status) =>
    [
        new(Metrics.ReadModelSecondsBehind, model, status.SecondsBehind),
        new(Metrics.ReadModelSequencesBehind, model, Math.Max(0, status.RegistryLastSequence - status.LowWatermark)),
    ];

    private static IEnumerable<Sample> DepartmentSamples(IReadOnlyList<DepartmentStatusAnswer> departments)
    {
        foreach (var d in departments)
        {
            yield return new(Metrics.DepartmentBacklog, d.Department, d.Backlog);
            yield return new(Metrics.DepartmentLagSeconds, d.Department, d.LagSeconds);
            yield return new(Metrics.DepartmentLastSequence, d.Department, d.LastSequence);
            if (d.Amqp is { } amqp)
            {
                if (amqp.Acknowledged is { } acknowledged)
                {
                    yield return new(Metrics.DepartmentAcknowledged, d.Department, acknowledged);
                }

                if (amqp.Consumers is { } consumers)
                {
                    yield return new(Metrics.DepartmentConsumers, d.Department, consumers);
                }
            }

            if (d.Webhook is { } webhook)
            {
                yield return new(Metrics.DepartmentWebhookDelivered, d.Department, webhook.Delivered);
                yield return new(Metrics.DepartmentWebhookPending, d.Department, webhook.Pending);
                yield return new(Metrics.DepartmentDeadLetters, d.Department, webhook.DeadLetters);
                yield return new(Metrics.DepartmentHeld, d.Department, webhook.Held);
            }
        }
    }

    // The sources' answers, as documented in their services' docs (only the fields sampled).
    private sealed record RelayStatusAnswer(long LastSequence, long PublishedSequence, long Backlog);

    private sealed record ReadModelStatusAnswer(bool Ready, long LowWatermark, long RegistryLastSequence, double SecondsBehind);

    private sealed record DepartmentStatusAnswer(string Department, long LastSequence, AmqpAnswer? Amqp, WebhookAnswer? Webhook, long Backlog, double LagSeconds);

    private sealed record AmqpAnswer(long Published, long? InQueue, long? Acknowledged, int? Consumers);

    private sealed record WebhookAnswer(long Delivered, long Pending, long DeadLetters, long Held);

    private sealed record QualityRegionAnswer(string Code, string Name, string Level, IReadOnlyDictionary<string, int> Counts);

    private sealed record QualityCountsAnswer(string Today, QualityRegionAnswer Region, IReadOnlyList<QualityRegionAnswer> Children);

    private abstract record QualityAnswer
    {
        public sealed record Counted(QualityCountsAnswer Counts) : QualityAnswer;

        public sealed record TooLarge : QualityAnswer;

        public sealed record Failed : QualityAnswer;
    }
}
