using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Projections;

namespace PopInfo.Sharing.People;

/// <summary>The registry as the read model reads it: its snapshot of current persons (every field) and its change feed.</summary>
public sealed class PeopleRegistryReader(HttpClient http) : RegistryFeedClient<PersonRow>(http, Mapping)
{
    /// <summary>Every field of a person record, current versions only.</summary>
    public static readonly SnapshotMapping<PersonRow> Mapping = SnapshotMapping.Of<PersonRecord, PersonRow>(
        [.. ((JsonTypeInfo)Json.Options.GetTypeInfo(typeof(PersonRecord))).Properties.Select(p => p.Name)],
        history: false,
        line => PersonRow.From(line.Record!, line.Version, sequence: null, line.RecordedAt));
}

/// <summary>The read model's gap-free watermark, for answers to carry as <c>asOfSequence</c>.</summary>
public sealed class PeopleWatermark : ProjectionWatermark;

/// <summary>Completed once the read model is built or loaded: changes wait for it.</summary>
public sealed class PeopleReadiness : ProjectionReadiness;

/// <summary>The one way changes reach the read model (events and the change feed alike): the store, then the watermark.</summary>
public sealed class PeopleApplier(PeopleStore store, PeopleWatermark watermark, PeopleReadiness readiness)
{
    public async Task ApplyAsync(IReadOnlyList<PersonChanged> changes, CancellationToken ct)
    {
        // Before the read model is built a change would be lost under a snapshot being loaded: wait — also while another
        // instance rebuilds it (the store refuses the change then).
        await readiness.ApplyWhenBuiltAsync(async () => watermark.Set(await store.ApplyAsync([.. changes.Select(PersonRow.From)], ct)), ct);
    }
}

/// <summary>
/// Keeps the read model (<see cref="ProjectionFollower{TRow}"/>): built from the registry's snapshot the first time,
/// loaded (its watermark read) at every later start, gaps filled from the change feed. It answers from the database, so
/// loading holds nothing in memory.
/// </summary>
public sealed class PeopleProjection(
    PeopleStore store,
    PeopleApplier applier,
    PeopleWatermark watermark,
    PeopleReadiness readiness,
    PeopleRegistryReader registry,
    LeaseFactory leases,
    IHostApplicationLifetime lifetime,
    IOptions<SharingOptions> options,
    TimeProvider clock,
    ILogger<PeopleProjection> logger)
    : ProjectionFollower<PersonRow>("Sharing", registry, watermark, readiness,
        new ProjectionFollowerOptions(options.Value.FeedCheckInterval, options.Value.GapWait, options.Value.SnapshotBatch), leases.For(store.Database, LeaseName),
        lifetime, clock, logger)
{
    /// <summary>The follower's lease: one sharing instance builds the read model and fills the feed's gaps (docs/architecture.md, "Several instances").</summary>
    public const string LeaseName = "projection-follower";

    protected override Task<ProjectionState> StateAsync(CancellationToken ct) => store.StateAsync(ct);

    protected override Task StoreRebuildRequestAsync(CancellationToken ct) => store.RequestRebuildAsync(ct);

    protected override async Task<ProjectionLoad> LoadAsync(CancellationToken ct) =>
        new(await store.CountAsync(ct), (await store.StateAsync(ct)).Low_Watermark);

    protected override Task ResetAsync(LeaseFence fence, CancellationToken ct) => store.ResetAsync(fence, ct);

    protected override Task AddSnapshotBatchAsync(IReadOnlyList<PersonRow> rows, LeaseFence fence, CancellationToken ct) =>
        store.AddSnapshotBatchAsync(rows, fence, ct);

    protected override Task<long> FinishSnapshotAsync(long sequence, LeaseFence fence, CancellationToken ct) => store.FinishSnapshotAsync(sequence, fence, ct);

    protected override Task ApplyChangesAsync(IReadOnlyList<PersonChanged> changes, CancellationToken ct) => applier.ApplyAsync(changes, ct);
}
