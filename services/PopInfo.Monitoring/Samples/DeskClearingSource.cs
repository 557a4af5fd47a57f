using Microsoft.Extensions.Options;
using PopInfo.Domain.Statistics;
using PopInfo.Monitoring.Assessment;

namespace PopInfo.Monitoring.Samples;

/// <summary>
/// The desk's day before today (China time) per community, from the collection's clearing facts (<c>collection.monitor</c>,
/// the same source as timeliness): whether it is closed with every form dealt with, and how many forms were late. Its
/// deadline (24:00 CST) has passed, so a day not cleared is overdue (rule <c>desk-day-not-cleared</c>).
/// </summary>
public sealed class DeskClearingSource(CollectionFactsClient collection, IOptions<MonitoringOptions> options, TimeProvider clock,
    ILogger<DeskClearingSource> logger)
{
    public async Task<IReadOnlyList<Sample>> YesterdayAsync(CancellationToken ct)
    {
        if (!options.Value.Watched.ContainsKey(CollectionFactsClient.Source))
        {
            return [];
        }

        var yesterday = ChinaTime.Today(clock).AddDays(-1);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.ProbeTimeout * 6);
            var page = await collection.ReadAsync(yesterday, yesterday, null, timeout.Token);
            return page.Days.SelectMany(d => new Sample[]
            {
                new(Metrics.DeskDayNotCleared, d.CommunityCode, d.Cleared && d.ClosedAt is not null ? 0 : 1),
                new(Metrics.DeskFormsLate, d.CommunityCode, d.Late),
            }).ToList();
        }
        catch (Exception e) when (e is SourceUnavailableException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("The desk's clearing facts could not be sampled ({Kind}).", e.GetType().Name);
            return [];
        }
    }
}
