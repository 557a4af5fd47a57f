using Microsoft.Extensions.Options;
using PopInfo.Analytics.Engine;
using PopInfo.Domain.Statistics;

namespace PopInfo.Analytics.Projection;

/// <summary>A group where the registry's SQL count and the analytics figure differ.</summary>
public sealed record ReconciliationDifference(string Region, string Sex, string ResidenceType, string AgeBand, long Registry, long Analytics);

/// <summary>
/// What a reconciliation found. <c>consistent</c>: every group equal; <c>differences</c>: listed (the first 100);
/// <c>not-quiet</c>: the projection never stood exactly at the registry's sequence with nothing applied above it while
/// tried (changes kept streaming), so nothing was compared.
/// </summary>
public sealed record ReconciliationResult(
    DateTimeOffset At, string Outcome, long Sequence, DateOnly AsOf, long RegistryTotal, long AnalyticsTotal, int Differences,
    IReadOnlyList<ReconciliationDifference> FirstDifferences, int Attempts);

/// <summary>
/// Recomputes the living population independently — the registry counts it with plain SQL <c>GROUP BY</c> over its own
/// tables in one consistent read (<c>GET /api/v1/population-counts</c>), sharing no code with the projection — and compares
/// it, group by group (community × sex × residence type × five-year band, ages on today's date), with the true counts of
/// the index on the recorded basis at the same change-log sequence. Run on demand and on a schedule.
/// </summary>
public sealed partial class Reconciler(
    PopulationIndex index, TableService tables, RegistryReader registry, IOptions<AnalyticsOptions> options, TimeProvider clock, ILogger<Reconciler> logger)
{
    private const int MaxAttempts = 5;
    private const int Listed = 100;

    public ReconciliationResult? Last { get; private set; }

    public async Task<ReconciliationResult> RunAsync(CancellationToken ct)
    {
        var day = tables.Today;
        RegistryReader.PopulationCountsAnswer? answer = null;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            answer = await registry.PopulationCountsAsync(day, ct);
            var deadline = clock.GetUtcNow() + options.Value.ReconcileWait;
            while (index.Position is not { } p || p.Watermark < answer.Sequence || p.PendingAbove > 0)
            {
                if (clock.GetUtcNow() > deadline)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), clock, ct);
            }

            var sequence = answer.Sequence;
            var counts = answer.Counts;
            var result = index.Read(view => view.Position is { PendingAbove: 0 } position && position.Watermark == sequence
                ? Compare(view, sequence, day, counts, attempt)
                : null);
            if (result is not null)
            {
                return Finish(result);
            }
        }

        return Finish(new ReconciliationResult(clock.GetUtcNow(), "not-quiet", answer?.Sequence ?? 0, day, 0, 0, 0, [], MaxAttempts));
    }

    private ReconciliationResult Finish(ReconciliationResult result)
    {
        Last = result;
        LogReconciled(logger, result.Outcome, result.Sequence, result.Differences, result.RegistryTotal, result.AnalyticsTotal);
        return result;
    }

    private ReconciliationResult Compare(PopulationIndex.IndexView view, long sequence, DateOnly day, IReadOnlyList<RegistryReader.PopulationCountRow> registryCounts, int attempt)
    {
        var regions = index.Categories.Regions;
        var city = regions.All.First(r => r.Level == Domain.Regions.RegionLevel.City);
        var spec = new TableSpec(
            [Dimensions.Of(DimensionKind.Community, city, regions)],
            [Dimensions.Of(DimensionKind.Sex, city, regions), Dimensions.Of(DimensionKind.ResidenceType, city, regions), Dimensions.Of(DimensionKind.AgeBand, city, regions)],
            [], city, day, TimeBasis.Recorded);
        var dims = spec.AllDimensions.ToList();
        var cube = tables.CountCube(view, spec, dims);

        // The analytics figures by the registry's keys: community code, sex code, residence type, band number.
        var analytics = new Dictionary<(string, string, string, int), long>();
        var (sexes, types, bands) = (dims[1].Categories, dims[2].Categories, dims[3].Categories);
        for (var i = 0; i < cube.Counts.Length; i++)
        {
            if (cube.Counts[i] == 0)
            {
                continue;
            }

            var band = i % bands.Count;
            var type = i / bands.Count % types.Count;
            var sex = i / bands.Count / types.Count % sexes.Count;
            var community = i / bands.Count / types.Count / sexes.Count;
            analytics[(dims[0].Categories[community].Code, sexes[sex].Code, types[type].Code, band)] = cube.Counts[i];
        }

        var registry = registryCounts.GroupBy(r => (r.Region, r.Sex, r.ResidenceType, r.Band)).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
        var differences = registry.Keys.Union(analytics.Keys)
            .Select(k => new ReconciliationDifference(k.Item1, k.Item2, k.Item3, Ages.FiveYearBandLabel(k.Item4), registry.GetValueOrDefault(k), analytics.GetValueOrDefault(k)))
            .Where(d => d.Registry != d.Analytics)
            .OrderBy(d => d.Region, StringComparer.Ordinal).ThenBy(d => d.Sex, StringComparer.Ordinal).ThenBy(d => d.ResidenceType, StringComparer.Ordinal).ThenBy(d => d.AgeBand, StringComparer.Ordinal)
            .ToList();
        return new ReconciliationResult(
            clock.GetUtcNow(), differences.Count == 0 ? "consistent" : "differences", sequence, day, registry.Values.Sum(), analytics.Values.Sum(),
            differences.Count, [.. differences.Take(Listed)], attempt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Analytics reconciliation: {Outcome} at sequence {Sequence}, {Differences} differing groups (registry {RegistryTotal}, analytics {AnalyticsTotal}).")]
    private static partial void LogReconciled(ILogger logger, string outcome, long sequence, int differences, long registryTotal, long analyticsTotal);
}

/// <summary>Runs the reconciliation every <see cref="AnalyticsOptions.ReconcileInterval"/> once the projection is ready (zero: never).</summary>
public sealed class ReconciliationSchedule(Reconciler reconciler, ProjectionReadiness readiness, IOptions<AnalyticsOptions> options, TimeProvider clock, ILogger<ReconciliationSchedule> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ReconcileInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, clock, stoppingToken);
            await readiness.WaitAsync(stoppingToken);
            try
            {
                await reconciler.RunAsync(stoppingToken);
            }
            catch (HttpRequestException e)
            {
                logger.LogWarning("Analytics reconciliation: the registry does not answer ({Reason}).", e.Message);
            }
        }
    }
}
