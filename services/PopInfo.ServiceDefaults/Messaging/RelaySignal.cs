using System.Threading.Channels;

namespace PopInfo.ServiceDefaults.Messaging;

/// <summary>
/// Wakes an outbox relay (<typeparamref name="TRelay"/>) as soon as something is committed for it to send,
/// so that sending does not wait for the next poll. One per relay type, so that two relays in the embedded
/// host never wake each other.
/// </summary>
public sealed class RelaySignal<TRelay>
{
    private readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => channel.Writer.TryWrite(true);

    /// <summary>Waits for a notification or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await channel.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Timed out: look anyway (another process may have written).
        }
    }
}
