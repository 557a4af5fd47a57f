using Microsoft.Extensions.Options;
using PopInfo.Analytics.Engine;
using PopInfo.Analytics.Protection;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Projections;

namespace PopInfo.Analytics.Projection;

/// <summary>
/// Keeps the analytics projection (<see cref="ProjectionFollower{TRow}"/>: the store loaded at start or rebuilt from the
/// registry's snapshot, then gaps filled from the change feed). What is the analytics service's own: the cell-key secret
/// loaded first (record keys derive from it), the index loaded from the store (<see cref="IndexFollower"/>, which keeps it
/// current), and today's view kept warm.
/// </summary>
public sealed class ProjectionService(
    FactStore store,
    PopulationIndex index,
    IndexFollower indexFollower,
    Projector projector,
    ProjectionWatermark watermark,
    ProjectionReadiness readiness,
    CellKeySecret secret,
    RegistryReader registry,
    LeaseFactory leases,
    IHostApplicationLifetime lifetime,
    IOptions<AnalyticsOptions> options,
    TimeProvider clock,
    ILogger<ProjectionService> logger)
    : ProjectionFollower<PersonFacts>("Analytics", registry, watermark, readiness, FollowerOptions(options.Value), leases.For(store.Database, LeaseName), lifetime,
        clock, logger)
{
    /// <summary>The follower's lease: one analytics instance builds the store and fills the feed's gaps (docs/architecture.md, "Several instances").</summary>
    public const string LeaseName = "projection-follower";

    private readonly int batchSize = options.Value.SnapshotBatch;

    protected override Task PrepareAsync(CancellationToken ct) => secret.LoadAsync(ct);

    protected override Task<ProjectionState> StateAsync(CancellationToken ct) => store.StateAsync(ct);

    protected override async Task<ProjectionLoad> LoadAsync(CancellationToken ct)
    {
        var loaded = await indexFollower.LoadAsync(batchSize, ct);
        WarmToday();
        return loaded;
    }

    protected override Task ForgetAsync(CancellationToken ct) => indexFollower.ForgetAsync(ct);

    protected override Task StoreRebuildRequestAsync(CancellationToken ct) => store.RequestRebuildAsync(ct);

    protected override async Task ResetAsync(LeaseFence fence, CancellationToken ct)
    {
        await indexFollower.ForgetAsync(ct);
        await store.ResetAsync(fence, ct);
    }

    protected override async Task AddSnapshotBatchAsync(IReadOnlyList<PersonFacts> rows, LeaseFence fence, CancellationToken ct)
    {
        await store.AddSnapshotBatchAsync(rows, fence, ct);
        index.Apply(rows);
    }

    protected override Task<long> FinishSnapshotAsync(long sequence, LeaseFence fence, CancellationToken ct) => store.FinishSnapshotAsync(sequence, fence, ct);

    protected override Task ApplyChangesAsync(IReadOnlyList<PersonChanged> changes, CancellationToken ct) =>
        projector.ApplyAsync([.. changes.Select(PersonFacts.From)], ct);

    protected override void AfterFeedCheck() => WarmToday();

    // Today's view of the city is what most tables read: made before the service says it is ready, and again as soon as
    // the day turns, so that no planner's query waits for it (and asking for it keeps it the most recently used).
    private void WarmToday() => index.Read(view => view.DayView(Domain.Statistics.ChinaTime.Today(Clock).DayNumber, TimeBasis.Occurred));

    private static ProjectionFollowerOptions FollowerOptions(AnalyticsOptions options) =>
        new(options.FeedCheckInterval, options.GapWait, options.SnapshotBatch);
}
