using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using PopInfo.Registry.Relay;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.IntegrationTests.Leases;

/// <summary>
/// A relay on the platform's loop (<see cref="OutboxRelay{TRelay}"/>, the base of every relay) that sends the numbers 1 to
/// <c>last</c> in rounds of <see cref="Batch"/>: each round "publishes" the numbers after its position into
/// <c>sent</c> (what a broker would receive, with the sender's name), then saves the position with the registry relay's own
/// fenced store (<see cref="RelayPositionStore"/>). The test can pause it between publishing and saving (a paused process)
/// or freeze it after a save (a killed one: no renewal, no release).
/// </summary>
internal sealed class CountingRelay(string name, RelayPositionStore positions, Lease lease, long last, ConcurrentQueue<(string Relay, long Item)> sent)
    : OutboxRelay<CountingRelay>(new RelaySignal<CountingRelay>(), lease, TimeProvider.System, NullLogger.Instance)
{
    public const int Batch = 10;

    private readonly TaskCompletionSource paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource frozen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool pauseBeforeSave;
    private volatile bool freezeAfterSave;
    private long? position;
    private int fencedOut;

    public string Name => name;

    public string Holder => Lease.Holder;

    /// <summary>Saves this relay's fence refused.</summary>
    public int FencedOut => Volatile.Read(ref fencedOut);

    /// <summary>Completes when the relay has published a round and waits before saving it.</summary>
    public Task Paused => paused.Task;

    /// <summary>Completes when the relay has saved a round and stands still for good.</summary>
    public Task Frozen => frozen.Task;

    public void PauseBeforeNextSave() => pauseBeforeSave = true;

    public void Resume() => resumed.TrySetResult();

    public void FreezeAfterNextSave() => freezeAfterSave = true;

    protected override TimeSpan IdlePoll => TimeSpan.FromMilliseconds(100);

    protected override TimeSpan MaxBackoff => TimeSpan.FromMilliseconds(200);

    protected override void Reset() => position = null;

    protected override async Task<int> RelayOnceAsync(CancellationToken ct)
    {
        position ??= await positions.LoadAsync(ct);
        if (position >= last)
        {
            return 0;
        }

        // Taken at the round's start, as the exchange's projector does: a pause after this point is the database's to catch.
        var fence = Lease.Fence();
        var from = position.Value + 1;
        var to = Math.Min(position.Value + Batch, last);
        for (var item = from; item <= to; item++)
        {
            sent.Enqueue((name, item));
        }

        if (pauseBeforeSave)
        {
            pauseBeforeSave = false;
            paused.TrySetResult();
            await resumed.Task.WaitAsync(ct);
        }

        try
        {
            await positions.SaveAsync(to, Clock.GetUtcNow(), fence, ct);
        }
        catch (LeaseLostException)
        {
            Interlocked.Increment(ref fencedOut);
            throw;
        }

        position = to;
        if (freezeAfterSave)
        {
            frozen.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        }

        return (int)(to - from + 1);
    }

    /// <summary>A relay named <paramref name="name"/> with a lease of its own (its own holder) on the registry's database.</summary>
    public static CountingRelay Create(string name, ServiceDatabase database, TimeSpan ttl, long last, ConcurrentQueue<(string Relay, long Item)> sent) =>
        new(name, new RelayPositionStore(database), new Lease(new LeaseStore(database), LeaseName, ttl, TimeProvider.System, NullLogger.Instance), last, sent);

    public const string LeaseName = "counting-relay";
}
