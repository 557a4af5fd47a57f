using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PopInfo.ServiceDefaults.Leases;

namespace PopInfo.ServiceDefaults.Messaging;

/// <summary>
/// The loop of an outbox relay, written once: send what is waiting, sleep until <see cref="RelaySignal{TRelay}"/>
/// wakes it (or <see cref="IdlePoll"/> passes) when nothing was, and back off when the broker or the
/// database is away — 0.5 s doubling to <see cref="MaxBackoff"/> — then try again. What is sent and how the
/// relay remembers it is the subclass's.
/// <para>
/// Single-active (docs/architecture.md, "Several instances: single-active loops"): only the instance holding the relay's
/// <see cref="Leases.Lease"/> sends; the others only try to take the lease every <see cref="Leases.Lease.RenewEvery"/>. The
/// leader renews it as often, and the subclass's writes that make its work count carry <see cref="Leases.Lease.Fence"/>: a write
/// that finds the lease another's is rolled back, and the loop steps down. Leading afresh (a new epoch) starts from what
/// is stored (<see cref="Reset"/>). A graceful stop releases the lease, so another instance takes over at once.
/// </para>
/// </summary>
public abstract class OutboxRelay<TRelay>(RelaySignal<TRelay> signal, Lease lease, TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>The clock of the relay's times and pauses.</summary>
    protected TimeProvider Clock { get; } = clock;

    /// <summary>The relay's lease: only its holder sends; the subclass's cursor writes carry its <see cref="Leases.Lease.Fence"/>.</summary>
    protected Lease Lease { get; } = lease;

    /// <summary>True while this instance leads the relay (for tests and the status).</summary>
    public bool IsLeading => Lease.IsHeld;

    /// <summary>How long to sleep when nothing was waiting and no signal came (another process may have written).</summary>
    protected abstract TimeSpan IdlePoll { get; }

    /// <summary>The longest pause between attempts while the broker or the database is away.</summary>
    protected abstract TimeSpan MaxBackoff { get; }

    /// <summary>Sends one batch; returns how many items it sent (0: nothing was waiting).</summary>
    protected abstract Task<int> RelayOnceAsync(CancellationToken ct);

    /// <summary>
    /// Whether a batch that sent <paramref name="sent"/> items reached the end of what was waiting, so that the loop sleeps
    /// until the next signal rather than looking again at once. By default only an empty batch says so. A relay that reads
    /// in batches of a fixed size may say a short one does: what is committed after its read signals anew (the signal keeps
    /// one notification while the relay works), so the look that would find nothing — a round trip per item at a steady
    /// trickle — is saved.
    /// </summary>
    protected virtual bool CaughtUp(int sent) => sent == 0;

    /// <summary>
    /// Forgets what the relay held in memory after a failure, and whenever it begins to lead, so the next attempt starts
    /// from what is stored.
    /// </summary>
    protected virtual void Reset()
    {
    }

    /// <summary>
    /// At each try for the lease while another instance leads: e.g. let go of what this instance's consumer heard for the
    /// leader's work (the leader reads what it did not hear itself from what is stored).
    /// </summary>
    protected virtual void Following()
    {
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
        }
        finally
        {
            // A graceful stop lets the lease lapse at once: a rolling restart hands over without waiting for the lease's time.
            await Lease.ReleaseOnStopAsync();
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        // The epoch the relay's memory belongs to: another one means it leads afresh and starts from what is stored.
        long? actingEpoch = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await Lease.HoldAsync(stoppingToken))
                {
                    // A follower does nothing else: it tries again a third of the lease's time later.
                    actingEpoch = null;
                    failures = 0;
                    Following();
                    await Task.Delay(Lease.RenewEvery, Clock, stoppingToken);
                    continue;
                }

                if (Lease.Epoch != actingEpoch)
                {
                    Reset();
                    actingEpoch = Lease.Epoch;
                }

                var sent = await RelayOnceAsync(stoppingToken);
                failures = 0;
                if (CaughtUp(sent))
                {
                    // Idle: wake for a signal, another process's writes, or the lease's renewal, whichever comes first.
                    await signal.WaitAsync(IdlePoll < Lease.RenewEvery ? IdlePoll : Lease.RenewEvery, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (LeaseLostException)
            {
                // Another instance leads now (this one paused or lost the database for longer than the lease): the write
                // was rolled back; step down at once, no failure and no backoff.
                Lease.StepDown();
                actingEpoch = null;
                Reset();
            }
            catch (Exception ex)
            {
                failures++;
                Reset();
                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 500 * Math.Pow(2, Math.Min(failures - 1, 10))));
                logger.LogWarning(ex, "{Relay} failed {Failures} time(s); retrying in {Delay}", typeof(TRelay).Name, failures, delay);
                try
                {
                    await Task.Delay(delay, Clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }
}
