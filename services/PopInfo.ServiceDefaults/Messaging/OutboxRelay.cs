using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PopInfo.ServiceDefaults.Messaging;

/// <summary>
/// The loop of an outbox relay, written once: send what is waiting, sleep until <see cref="RelaySignal{TRelay}"/>
/// wakes it (or <see cref="IdlePoll"/> passes) when nothing was, and back off when the broker or the
/// database is away — 0.5 s doubling to <see cref="MaxBackoff"/> — then try again. What is sent and how the
/// relay remembers it is the subclass's.
/// </summary>
public abstract class OutboxRelay<TRelay>(RelaySignal<TRelay> signal, TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>The clock of the relay's times and pauses.</summary>
    protected TimeProvider Clock { get; } = clock;

    /// <summary>How long to sleep when nothing was waiting and no signal came (another process may have written).</summary>
    protected abstract TimeSpan IdlePoll { get; }

    /// <summary>The longest pause between attempts while the broker or the database is away.</summary>
    protected abstract TimeSpan MaxBackoff { get; }

    /// <summary>Sends one batch; returns how many items it sent (0: nothing was waiting).</summary>
    protected abstract Task<int> RelayOnceAsync(CancellationToken ct);

    /// <summary>Forgets what the relay held in memory after a failure, so the next attempt starts from what is stored.</summary>
    protected virtual void Reset()
    {
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await RelayOnceAsync(stoppingToken);
                failures = 0;
                if (sent == 0)
                {
                    await signal.WaitAsync(IdlePoll, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
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
