using Microsoft.Extensions.Logging;

namespace PopInfo.ServiceDefaults.Leases;

/// <summary>
/// One single-active loop's lease as this instance sees it (docs/architecture.md, "Several instances: single-active
/// loops"): taken and renewed by <see cref="HoldAsync"/> — a round trip at most every <see cref="RenewEvery"/> (a third of
/// the lease's time) — and proved by the leader's writes with <see cref="Fence"/>. The database decides who holds it, by
/// its own clock; this instance's clock only makes it stop early: it counts itself the holder for less than the lease's
/// time after it sent its last successful take or renewal, which the database's expiry, set later, always outlasts.
/// Each lease has a holder name of its own (machine, process, random), so two loops of one process never share one.
/// </summary>
public sealed class Lease
{
    private readonly LeaseStore store;
    private readonly TimeProvider clock;
    private readonly ILogger logger;

    // Read by other threads (the webhook relay's workers): replaced whole, never changed in place.
    private volatile Held? held;

    public Lease(LeaseStore store, string name, TimeSpan ttl, TimeProvider clock, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ttl, MinimumTtl);
        this.store = store;
        this.clock = clock;
        this.logger = logger;
        Name = name;
        Ttl = ttl;
        Holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>The shortest lease time: a round trip or a pause of the garbage collector must fit well inside a third of it.</summary>
    public static readonly TimeSpan MinimumTtl = TimeSpan.FromSeconds(1);

    public string Name { get; }

    /// <summary>This instance's name in the lease's row.</summary>
    public string Holder { get; }

    public TimeSpan Ttl { get; }

    /// <summary>How often a leader renews and a follower tries to take the lease: a third of its time.</summary>
    public TimeSpan RenewEvery => Ttl / 3;

    /// <summary>True while this instance holds the lease by its own reckoning (less than the lease's time since its last renewal was sent).</summary>
    public bool IsHeld => held is { } h && clock.GetElapsedTime(h.SentAt) < Ttl;

    /// <summary>The epoch this instance holds the lease with (null: it does not).</summary>
    public long? Epoch => IsHeld ? held?.Epoch : null;

    /// <summary>
    /// Renews the lease when a third of its time has passed since the last renewal, or tries to take it when this instance
    /// does not hold it: true when this instance leads now. Throws as the database does when it cannot be reached.
    /// </summary>
    public async Task<bool> HoldAsync(CancellationToken ct)
    {
        var before = held;
        if (before is not null && clock.GetElapsedTime(before.SentAt) < RenewEvery)
        {
            return true;
        }

        var sentAt = clock.GetTimestamp();
        var epoch = await store.HoldAsync(Name, Holder, Ttl, ct);
        if (epoch is not { } taken)
        {
            if (before is not null)
            {
                logger.LogWarning("Lease {Lease}: held by another instance now; this one ({Holder}) stops at epoch {Epoch}.", Name, Holder, before.Epoch);
            }

            held = null;
            return false;
        }

        if (before?.Epoch != taken)
        {
            logger.LogInformation("Lease {Lease}: this instance ({Holder}) leads, epoch {Epoch}.", Name, Holder, taken);
        }

        held = new Held(taken, sentAt);
        return true;
    }

    /// <summary>
    /// What this leader's writes carry to prove it still leads (<see cref="LeaseStore.FenceSql"/>). The database decides,
    /// also after this instance's own reckoning ran out in a long round: if no one took the lease meanwhile, the write
    /// counts (and renews it). Throws <see cref="LeaseLostException"/> when this instance never took it or stepped down.
    /// </summary>
    public LeaseFence Fence() =>
        held is { } h ? new LeaseFence(Name, Holder, h.Epoch, Ttl) : throw new LeaseLostException(Name, 0);

    /// <summary>Stops leading at once (a fenced write found the lease another's): the next <see cref="HoldAsync"/> asks the database.</summary>
    public void StepDown()
    {
        if (held is { } h)
        {
            logger.LogWarning("Lease {Lease}: a write found it held by another instance; this one ({Holder}) steps down from epoch {Epoch}.", Name, Holder, h.Epoch);
        }

        held = null;
    }

    /// <summary>
    /// Lets the lease go on a graceful stop: it lapses now, so that another instance takes it at its next try (within
    /// <see cref="RenewEvery"/>) rather than after the lease's time.
    /// </summary>
    public async Task ReleaseAsync(CancellationToken ct)
    {
        if (held is not { } h)
        {
            return;
        }

        held = null;
        await store.ReleaseAsync(Name, Holder, h.Epoch, ct);
        logger.LogInformation("Lease {Lease}: released by {Holder} at epoch {Epoch}.", Name, Holder, h.Epoch);
    }

    /// <summary>
    /// <see cref="ReleaseAsync"/> as a loop's last act on a graceful stop: within a few seconds, and when the database cannot
    /// be reached the lease lapses by itself after its time (logged, not thrown).
    /// </summary>
    public async Task ReleaseOnStopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await ReleaseAsync(timeout.Token);
        }
        catch (Exception e)
        {
            logger.LogWarning("Lease {Lease}: not released ({Error}); it lapses by itself.", Name, e.GetType().Name);
        }
    }

    private sealed record Held(long Epoch, long SentAt);
}
