using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Leases;

namespace PopInfo.ServiceDefaults.Projections;

/// <summary>The follower's settings: how often it compares its watermark with the registry, how long a gap may stand, the snapshot's batch size.</summary>
public sealed record ProjectionFollowerOptions(TimeSpan FeedCheckInterval, TimeSpan GapWait, int SnapshotBatch);

/// <summary>What a load of the projection from its store found: its rows and its watermark.</summary>
public sealed record ProjectionLoad(long Rows, long Watermark);

/// <summary>
/// Keeps a service's projection of the register: at start, from its store — or, when the store was never built, a
/// rebuild from the registry's snapshot — then it follows the registry: when the watermark stands below the registry's
/// last sequence longer than <see cref="ProjectionFollowerOptions.GapWait"/> (a lost event, a restart, the time of a
/// rebuild), it reads the missing entries from the change feed. Events reach the projection by the service's own
/// consumer; the service derives its follower from this class and implements the few steps that touch its store.
/// Its name ("Analytics") begins its log lines ("Analytics projection rebuilt …").
/// <para>
/// With several instances on one store (docs/architecture.md, "Several instances: single-active loops") the builds and
/// the feed's gaps are the work of the instance holding the follower's <see cref="Leases.Lease"/>: a store never built is
/// built by it while the others wait and then load it; a rebuild's writes (the reset, each snapshot batch, the finish)
/// carry its fence, so an instance that lost the lease in the middle of a load cannot write into its successor's. While the
/// store is not built no instance's consumer writes to it (<see cref="ProjectionNotBuiltException"/>); the other instances
/// keep serving what they hold while the snapshot loads, and once the store is built again (its <c>built_at</c> is not the
/// one they loaded) each forgets what it holds in memory and loads the new build from the store.
/// </para>
/// </summary>
public abstract class ProjectionFollower<TRow>(
    string name,
    RegistryFeedClient<TRow> registry,
    ProjectionWatermark watermark,
    ProjectionReadiness readiness,
    ProjectionFollowerOptions options,
    Lease lease,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger logger) : BackgroundService
{
    private const string RebuildWork = "rebuild from the registry's snapshot";

    private long registryLast;
    private int rebuildRequested;
    private DateTimeOffset caughtUpAt;
    private long lastSeenWatermark = -1;
    private DateTimeOffset? loadedBuild;
    private DateTimeOffset watermarkSince;

    /// <summary>The registry's last sequence when last asked.</summary>
    public long RegistryLastSequence => Interlocked.Read(ref registryLast);

    /// <summary>Seconds since the projection last held everything the registry had written (0 while it does).</summary>
    public double SecondsBehind => watermark.Current >= RegistryLastSequence ? 0 : Math.Max(0, (clock.GetUtcNow() - caughtUpAt).TotalSeconds);

    /// <summary>The clock the follower keeps time by, for the service's steps.</summary>
    protected TimeProvider Clock => clock;

    /// <summary>The follower's lease: its holder builds, rebuilds and fills the feed's gaps.</summary>
    public Lease Lease { get; } = lease;

    /// <summary>
    /// Asks for a rebuild; the follower's loop does it at its next turn (within <see cref="ProjectionFollowerOptions.FeedCheckInterval"/>)
    /// if this instance holds the lease, else when it next does (see <see cref="RequestRebuildAsync"/> for several instances).
    /// </summary>
    public void RequestRebuild() => Interlocked.Exchange(ref rebuildRequested, 1);

    /// <summary>
    /// Asks for a rebuild of whichever instance leads: the request is kept in the store (<see cref="StoreRebuildRequestAsync"/>),
    /// and the leader's loop does it at its next turn.
    /// </summary>
    public async Task RequestRebuildAsync(CancellationToken ct)
    {
        await StoreRebuildRequestAsync(ct);
        RequestRebuild();
    }

    /// <summary>Keeps a rebuild request in the store (<see cref="ProjectionLedgerStore.RequestRebuildAsync"/>) for the instance that leads.</summary>
    protected virtual Task StoreRebuildRequestAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Before anything else at start (e.g. a secret the rows are read with).</summary>
    protected virtual Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>The store's <c>projection_state</c>: built when <c>snapshot_sequence</c> is set; <c>built_at</c> names the build.</summary>
    protected abstract Task<ProjectionState> StateAsync(CancellationToken ct);

    /// <summary>Forgets what memory holds, before loading a build another instance made (nothing, for a service that answers from the store).</summary>
    protected virtual Task ForgetAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Loads what the service keeps in memory from its store (nothing, for a service that answers from the store).</summary>
    protected abstract Task<ProjectionLoad> LoadAsync(CancellationToken ct);

    /// <summary>
    /// Empties the store (and memory) before a rebuild: its rows and <see cref="ProjectionLedgerStore.ResetAsync"/> in one
    /// transaction, fenced by <paramref name="fence"/>.
    /// </summary>
    protected abstract Task ResetAsync(LeaseFence fence, CancellationToken ct);

    /// <summary>Stores a batch of the snapshot's rows (changes wait meanwhile: the projection is not ready), fenced by <paramref name="fence"/>.</summary>
    protected abstract Task AddSnapshotBatchAsync(IReadOnlyList<TRow> rows, LeaseFence fence, CancellationToken ct);

    /// <summary>Marks the snapshot complete (<see cref="ProjectionLedgerStore.FinishSnapshotAsync"/>, fenced); returns the watermark.</summary>
    protected abstract Task<long> FinishSnapshotAsync(long sequence, LeaseFence fence, CancellationToken ct);

    /// <summary>Applies entries of the change feed the way the service's consumer applies events (and moves the watermark).</summary>
    protected abstract Task ApplyChangesAsync(IReadOnlyList<PersonChanged> changes, CancellationToken ct);

    /// <summary>After each comparison with the registry, reachable or not (e.g. a view to keep warm).</summary>
    protected virtual void AfterFeedCheck()
    {
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await FollowAsync(stoppingToken);
        }
        finally
        {
            await Lease.ReleaseOnStopAsync();
        }
    }

    private async Task FollowAsync(CancellationToken stoppingToken)
    {
        await PrepareAsync(stoppingToken);
        // In the embedded host the registry and the token issuer are this process: ask them once it listens.
        await lifetime.WhenStartedAsync(stoppingToken);
        await BuildOrLoadAsync(stoppingToken);

        caughtUpAt = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Every instance compares its watermark with the registry (its status says how far behind it is); only the
                // lease's holder rebuilds and reads the feed's gaps into the store they share.
                var leads = await Lease.HoldAsync(stoppingToken);
                // A rebuild asked of this instance, or of another (kept in the store): the leader's work.
                if (leads && (Interlocked.Exchange(ref rebuildRequested, 0) == 1 | (await StateAsync(stoppingToken)).Rebuild_Requested_At is not null))
                {
                    await UntilDoneAsync(RebuildAsync, RebuildWork, stoppingToken);
                }

                // Another instance built the store again: what memory holds is not that store; forget it and load the new build.
                // While that instance is still loading the snapshot (the store not built), memory keeps serving what it holds
                // at its watermark — no change reaches the store meanwhile — unless this instance now leads: the builder was
                // lost, and this one builds.
                var state = await StateAsync(stoppingToken);
                if (state.Built_At != loadedBuild && (state.Snapshot_Sequence is not null || leads))
                {
                    ProjectionLog.ReloadingBuild(logger, name);
                    readiness.SetNotReady();
                    await ForgetAsync(stoppingToken);
                    await BuildOrLoadAsync(stoppingToken);
                }

                await CatchUpAsync(stoppingToken, fill: leads);
            }
            // The resilience pipeline's circuit breaker answers a registry long away with BrokenCircuitException: away all the same.
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Polly.CircuitBreaker.BrokenCircuitException
                                      && !stoppingToken.IsCancellationRequested)
            {
                ProjectionLog.RegistryUnreachable(logger, name, e.Message);
            }
            catch (DbException e) when (!stoppingToken.IsCancellationRequested)
            {
                ProjectionLog.DatabaseUnreachable(logger, name, e.GetType().Name);
            }
            catch (LeaseLostException)
            {
                // Another instance took the lease during a rebuild: it builds now; this one waits for that, then loads.
                Lease.StepDown();
                ProjectionLog.LeaseLost(logger, name);
                await ForgetAsync(stoppingToken);
                await BuildOrLoadAsync(stoppingToken);
            }

            AfterFeedCheck();
            await Task.Delay(options.FeedCheckInterval < Lease.RenewEvery ? options.FeedCheckInterval : Lease.RenewEvery, clock, stoppingToken);
        }
    }

    // A store never built is built by the lease's holder; the others wait for the build and then load it.
    private async Task BuildOrLoadAsync(CancellationToken ct)
    {
        var waitLogged = false;
        while ((await StateAsync(ct)).Snapshot_Sequence is null)
        {
            if (await Lease.HoldAsync(ct))
            {
                try
                {
                    await UntilDoneAsync(RebuildAsync, RebuildWork, ct);
                    return;
                }
                catch (LeaseLostException)
                {
                    Lease.StepDown();
                    ProjectionLog.LeaseLost(logger, name);
                }
            }
            else if (!waitLogged)
            {
                waitLogged = true;
                ProjectionLog.WaitingForBuild(logger, name);
            }

            await Task.Delay(Lease.RenewEvery, clock, ct);
        }

        await LoadAndSetReadyAsync(ct);
    }

    /// <summary>Empties the projection and builds it again from a snapshot, then follows the feed from there.</summary>
    /// <remarks>The lease's holder's work: its writes are fenced (<see cref="LeaseLostException"/> when another instance took the lease).</remarks>
    public async Task RebuildAsync(CancellationToken ct)
    {
        var fence = Lease.Fence();
        readiness.SetNotReady();
        await ResetAsync(fence, ct);
        long sequence = 0;
        long versions = 0;
        await foreach (var part in registry.ReadSnapshotAsync(options.SnapshotBatch, ct))
        {
            sequence = part.Sequence;
            if (part.Versions.Count > 0)
            {
                await AddSnapshotBatchAsync(part.Versions, fence, ct);
                versions += part.Versions.Count;
            }

            // A load of minutes keeps the lease: renewed each third of its time, given up when another instance has it.
            if (!await Lease.HoldAsync(ct))
            {
                throw new LeaseLostException(Lease.Name, fence.Epoch);
            }
        }

        watermark.Set(await FinishSnapshotAsync(sequence, fence, ct));
        loadedBuild = (await StateAsync(ct)).Built_At;
        // Changes applied to the store while the snapshot streamed are in the store: load them too.
        await LoadAsync(ct);
        readiness.SetReady();
        ProjectionLog.Rebuilt(logger, name, sequence, versions);
        await CatchUpAsync(ct, immediately: true);
    }

    private async Task LoadAndSetReadyAsync(CancellationToken ct)
    {
        loadedBuild = (await StateAsync(ct)).Built_At;
        var loaded = await LoadAsync(ct);
        watermark.Set(loaded.Watermark);
        readiness.SetReady();
        ProjectionLog.Loaded(logger, name, loaded.Rows, watermark.Current);
    }

    // Reads the feed after the watermark when the registry is ahead and the watermark has stood still for GapWait (only when
    // asked to fill: the lease's holder fills the store the instances share).
    private async Task CatchUpAsync(CancellationToken ct, bool immediately = false, bool fill = true)
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

        if (!fill || (!immediately && now - watermarkSince < options.GapWait))
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

            await ApplyChangesAsync(changes, ct);
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
            catch (Exception e) when (e is HttpRequestException or RegistryFeedClient<TRow>.TruncatedSnapshotException or Polly.CircuitBreaker.BrokenCircuitException
                                      || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                ProjectionLog.Retry(logger, name, what, e.Message, delay.TotalSeconds);
                await Task.Delay(delay, clock, ct);
                delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
            }
        }
    }
}
