using MassTransit;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.Identity.Clients;

/// <summary>
/// Publishes the clients' status changes queued in <c>status_outbox</c> (<see cref="ClientStore.SetStatusAsync"/>), in
/// order, and marks each sent once the broker confirmed it. While the broker is away they wait in the database; a
/// crash between publishing and marking publishes again, still in order, so the last status a client was given is the
/// last one heard (the exchange's consumer ignores a status its department already has). Single-active: only the holder
/// of its lease publishes, each marking fenced (<see cref="OutboxRelay{TRelay}"/>).
/// </summary>
public sealed class StatusRelay(
    ClientStore clients, [FromKeyedServices(IdentityModule.Name)] ServiceDatabase database, IBus bus, RelaySignal<StatusRelay> signal, LeaseFactory leases,
    TimeProvider clock, ILogger<StatusRelay> logger)
    : OutboxRelay<StatusRelay>(signal, leases.For(database, LeaseName), clock, logger)
{
    /// <summary>The relay's lease: one instance of the identity provider publishes the status changes, in order (docs/architecture.md, "Several instances").</summary>
    public const string LeaseName = "status-relay";

    private const int BatchSize = 100;

    protected override TimeSpan IdlePoll => TimeSpan.FromSeconds(5);

    protected override TimeSpan MaxBackoff => TimeSpan.FromSeconds(10);

    protected override async Task<int> RelayOnceAsync(CancellationToken ct)
    {
        var batch = await clients.UnsentStatusChangesAsync(BatchSize, ct);
        if (batch.Count == 0)
        {
            return 0;
        }

        foreach (var (_, message) in batch)
        {
            await bus.Publish(message, ct);
        }

        await clients.MarkStatusChangesSentAsync([.. batch.Select(b => b.Seq)], Lease.Fence(), ct);
        return batch.Count;
    }
}
