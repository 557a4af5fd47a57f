using System.Data.Common;
using Microsoft.Extensions.Options;
using PopInfo.Analytics.Engine;
using PopInfo.ServiceDefaults.Projections;

namespace PopInfo.Analytics.Projection;

/// <summary>
/// Keeps this instance's index equal to the shared store at the store's gap-free watermark. The consumers of every
/// instance compete for the events and store each once (idempotently, the watermark moved in the same transaction); each
/// instance's index then follows the store, not its own consumer: when the watermark has moved it reads the versions of
/// the sequences between its own watermark and the store's — stored by whichever instance — and applies them, so that
/// each index takes every change once, whatever instance heard it. Its own consumer wakes it at once after a commit;
/// otherwise it looks every <see cref="AnalyticsOptions.IndexPollInterval"/> (one row read). The index therefore holds the
/// register exactly at its watermark: a version stored above a gap waits with the gap (the feed fills it, docs/analytics.md).
/// <para>
/// Why the store and not a queue per instance: the store is already written once per event and its watermark already
/// says which prefix of the change log is complete; an instance's own queue would lose what arrives while it is away and
/// would need this same catch-up from the store anyway. Nothing is read from the registry: a start or another instance's
/// rebuild loads the shared store.
/// </para>
/// </summary>
public sealed partial class IndexFollower(
    FactStore store, PopulationIndex index, ProjectionWatermark watermark, IOptions<AnalyticsOptions> options, TimeProvider clock,
    ILogger<IndexFollower> logger) : BackgroundService
{
    // Sequences read in one go when the index is far behind (a burst another instance stored).
    private const long Page = 20_000;

    // One of load, forget and catch-up at a time: each sees the index as the previous one left it.
    private readonly SemaphoreSlim gate = new(1, 1);

    // The build (the store's built_at) the index holds; a catch-up applies nothing from another build (the follower reloads).
    private DateTimeOffset? followedBuild;

    /// <summary>Loads the index from the store: every version up to the watermark. Returns the rows held and the watermark.</summary>
    public async Task<ProjectionLoad> LoadAsync(int batchSize, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            var state = await store.StateAsync(ct);
            var batch = new List<PersonFacts>(batchSize);
            await foreach (var v in store.ReadAllAsync(state.Low_Watermark, ct))
            {
                batch.Add(v);
                if (batch.Count == batchSize)
                {
                    index.Apply(batch);
                    batch.Clear();
                }
            }

            var position = new ProjectionPosition(state.Low_Watermark, await store.PendingAsync(ct));
            index.Apply(batch, position);
            followedBuild = state.Built_At;
            watermark.Set(position.Watermark);
            return new ProjectionLoad(index.RowCount, position.Watermark);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Empties the index (a rebuild begins, or another instance's build is to be loaded).</summary>
    public async Task ForgetAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            index.Clear();
            followedBuild = null;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Brings the index up to the store's watermark (nothing while the index is not loaded or the store is another build).</summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (index.Position is not { } held)
            {
                return;
            }

            var state = await store.StateAsync(ct);
            if (state.Built_At != followedBuild)
            {
                return;
            }

            var rows = new List<PersonFacts>();
            for (var after = held.Watermark; after < state.Low_Watermark; after = Math.Min(after + Page, state.Low_Watermark))
            {
                rows.AddRange(await store.ReadAppliedAsync(after, Math.Min(after + Page, state.Low_Watermark), ct));
            }

            var pending = await store.PendingAsync(ct);
            // A rebuild that emptied the store while these were read: apply nothing, the follower loads the new build.
            if (rows.Count > 0 && (await store.StateAsync(ct)).Built_At != followedBuild)
            {
                return;
            }

            var position = new ProjectionPosition(state.Low_Watermark, pending);
            if (position != held)
            {
                index.Apply(rows, position);
            }

            watermark.Set(position.Watermark);
        }
        finally
        {
            gate.Release();
        }
    }

    public override void Dispose()
    {
        gate.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.IndexPollInterval, clock, stoppingToken);
            try
            {
                await CatchUpAsync(stoppingToken);
            }
            catch (DbException e) when (!stoppingToken.IsCancellationRequested)
            {
                LogDatabaseUnreachable(logger, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics index: the database does not answer ({Kind}); trying again at the next turn.")]
    private static partial void LogDatabaseUnreachable(ILogger logger, string kind);
}
