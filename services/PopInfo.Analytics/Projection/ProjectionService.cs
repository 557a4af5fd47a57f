using Microsoft.Extensions.Options;
using PopInfo.Analytics.Engine;
using PopInfo.Analytics.Protection;
using PopInfo.ServiceDefaults;

namespace PopInfo.Analytics.Projection;

/// <summary>
/// Keeps the projection: at start, the secret, then the index from the store — or, when the store was never built, a
/// rebuild from the registry's snapshot — then it follows the registry: when the watermark stands below the registry's
/// last sequence longer than <see cref="AnalyticsOptions.GapWait"/> (a lost event, a restart, the time of a rebuild), it
/// reads the missing entries from the change feed.
/// </summary>
public sealed partial class ProjectionService(
    FactStore store,
    PopulationIndex index,
    Projector projector,
    ProjectionWatermark watermark,
    ProjectionReadiness readiness,
    CellKeySecret secret,
    RegistryReader registry,
    IHostApplicationLifetime lifetime,
    IOptions<AnalyticsOptions> options,
    TimeProvider clock,
    ILogger<ProjectionService> logger) : BackgroundService
{
    private long registryLast;
    private int rebuildRequested;
    private DateTimeOffset caughtUpAt;
    private long lastSeenWatermark = -1;
    private DateTimeOffset watermarkSince;

    /// <summary>The registry's last sequence when last asked.</summary>
    public long RegistryLastSequence => Interlocked.Read(ref registryLast);

    /// <summary>Seconds since the projection last held everything the registry had written (0 while it does).</summary>
    public double SecondsBehind => watermark.Current >= RegistryLastSequence ? 0 : Math.Max(0, (clock.GetUtcNow() - caughtUpAt).TotalSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await secret.LoadAsync(stoppingToken);
        // In the embedded host the registry and the token issuer are this process: ask them once it listens.
        await lifetime.WhenStartedAsync(stoppingToken);
        var state = await store.StateAsync(stoppingToken);
        if (state.Snapshot_Sequence is null)
        {
            await UntilDoneAsync(RebuildAsync, "rebuild from the registry's snapshot", stoppingToken);
        }
        else
        {
            await LoadAsync(stoppingToken);
        }

        caughtUpAt = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (Interlocked.Exchange(ref rebuildRequested, 0) == 1)
            {
                await UntilDoneAsync(RebuildAsync, "rebuild from the registry's snapshot", stoppingToken);
            }

            try
            {
                await CatchUpAsync(stoppingToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                LogRegistryUnreachable(logger, e.Message);
            }

            WarmToday();
            await Task.Delay(options.Value.FeedCheckInterval, clock, stoppingToken);
        }
    }

    // Today's view of the city is what most tables read: made before the service says it is ready, and again as soon as
    // the day turns, so that no planner's query waits for it (and asking for it keeps it the most recently used).
    private void WarmToday() => index.Read(view => view.DayView(Domain.Statistics.ChinaTime.Today(clock).DayNumber, TimeBasis.Occurred));

    /// <summary>Asks for a rebuild; the service's loop does it at its next turn (within <see cref="AnalyticsOptions.FeedCheckInterval"/>).</summary>
    public void RequestRebuild() => Interlocked.Exchange(ref rebuildRequested, 1);

    /// <summary>Empties the projection and builds it again from a snapshot, then follows the feed from there.</summary>
    public async Task RebuildAsync(CancellationToken ct)
    {
        readiness.SetNotReady();
        index.Clear();
        await store.ResetAsync(ct);
        long sequence = 0;
        long versions = 0;
        await foreach (var part in registry.ReadSnapshotAsync(options.Value.SnapshotBatch, ct))
        {
            sequence = part.Sequence;
            if (part.Versions.Count > 0)
            {
                await store.AddSnapshotBatchAsync(part.Versions, ct);
                index.Apply(part.Versions);
                versions += part.Versions.Count;
            }
        }

        watermark.Set(await store.FinishSnapshotAsync(sequence, ct));
        // Changes applied to the store while the snapshot streamed are in the store; load them into the index too.
        await foreach (var batch in ReadStoreAsync(ct))
        {
            index.Apply(batch);
        }

        index.Apply([], await PositionAsync(ct));
        WarmToday();
        readiness.SetReady();
        LogRebuilt(logger, sequence, versions);
        await CatchUpAsync(ct, immediately: true);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await foreach (var batch in ReadStoreAsync(ct))
        {
            index.Apply(batch);
        }

        var position = await PositionAsync(ct);
        index.Apply([], position);
        watermark.Set(position.Watermark);
        WarmToday();
        readiness.SetReady();
        LogLoaded(logger, index.RowCount, watermark.Current);
    }

    private async Task<ProjectionPosition> PositionAsync(CancellationToken ct) =>
        new((await store.StateAsync(ct)).Low_Watermark, await store.PendingAsync(ct));

    private async IAsyncEnumerable<List<PersonFacts>> ReadStoreAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var batch = new List<PersonFacts>(options.Value.SnapshotBatch);
        await foreach (var v in store.ReadAllAsync(ct))
        {
            batch.Add(v);
            if (batch.Count == options.Value.SnapshotBatch)
            {
                yield return batch;
                batch = new List<PersonFacts>(options.Value.SnapshotBatch);
            }
        }

        yield return batch;
    }

    // Reads the feed after the watermark when the registry is ahead and the watermark has stood still for GapWait.
    private async Task CatchUpAsync(CancellationToken ct, bool immediately = false)
    {
        var last = await registry.LastSequenceAsync(ct);
        Interlocked.Exchange(ref registryLast, last);
        var now = clock.GetUtcNow();
        if (watermark.Current != lastSeenWatermark)
        {
            lastSeenWatermark = watermark.Current;
            watermarkSince = now;
        }

        if (watermark.Current >= last)
        {
            caughtUpAt = now;
            return;
        }

        if (!immediately && now - watermarkSince < options.Value.GapWait)
        {
            return;
        }

        while (watermark.Current < last && !ct.IsCancellationRequested)
        {
            var before = watermark.Current;
            var changes = await registry.ReadChangesAsync(before, 1000, ct);
            if (changes.Count == 0)
            {
                break;
            }

            await projector.ApplyAsync([.. changes.Select(PersonFacts.From)], ct);
            if (watermark.Current == before)
            {
                break;
            }
        }

        if (watermark.Current >= last)
        {
            caughtUpAt = clock.GetUtcNow();
        }
    }

    // At start the registry may not answer yet (the embedded host starts it alongside): wait for it quietly, one line a try.
    private async Task UntilDoneAsync(Func<CancellationToken, Task> work, string what, CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await work(ct);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or RegistryReader.TruncatedSnapshotException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                LogRetry(logger, what, e.Message, delay.TotalSeconds);
                await Task.Delay(delay, clock, ct);
                delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Analytics projection rebuilt from the registry's snapshot at sequence {Sequence}: {Versions} versions.")]
    private static partial void LogRebuilt(ILogger logger, long sequence, long versions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analytics projection loaded: {Rows} versions, watermark {Watermark}.")]
    private static partial void LogLoaded(ILogger logger, int rows, long watermark);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analytics projection: {What} not possible yet ({Reason}); trying again in {Seconds} s.")]
    private static partial void LogRetry(ILogger logger, string what, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics projection: the registry does not answer ({Reason}).")]
    private static partial void LogRegistryUnreachable(ILogger logger, string reason);
}
