using PopInfo.Exchange.Access;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.Exchange.Delivery;

/// <summary>One webhook event that ran out of attempts (dead) or waits behind one of the same person (held).</summary>
public sealed record DeadLetter(long Sequence, long RegistrySequence, Guid PersonId, string State, int Attempts, string? Error, DateTimeOffset? LastAttemptAt);

/// <summary>The dead-letter list of a department's webhook, and the administrator's redrive.</summary>
public sealed class DeadLetters(DeliveryStore deliveries, RelaySignal<WebhookDeliveryRelay> signal, TimeProvider clock)
{
    public Task<IReadOnlyList<DeadLetter>> ListAsync(string code, CancellationToken ct) => deliveries.DeadLettersAsync(code, ct);

    /// <summary>
    /// Puts dead and held events back in line (all, or the given sequences with the events held behind them);
    /// the worker sends them again in sequence order. Returns how many.
    /// </summary>
    public async Task<int> RedriveAsync(Caller caller, string code, IReadOnlyList<long>? sequences, CancellationToken ct)
    {
        var count = await deliveries.RedriveAsync(caller, code, sequences, clock.GetUtcNow(), ct);
        signal.Notify();
        return count;
    }

    /// <summary>The lock a redrive and the webhook worker's decision to hold an event both take (see WebhookDeliveryRelay).</summary>
    public static string LockName(string code) => $"exchange-webhook:{code}";
}
