using PopInfo.Domain.Monitoring;
using PopInfo.Exchange.Inbound;
using PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

namespace PopInfo.Exchange.Monitor;

/// <summary>
/// The exchange's outbox of departments' records to the registry as the monitoring service sees it: <c>inbound-unsent</c>
/// (records accepted, their command not yet handed to the broker) and <c>inbound-unanswered</c> (the registry's answer
/// not come: sent or not).
/// </summary>
public sealed class OutboxBacklogStore(RegistryOutbox<InboundAnswerStore> outbox)
{
    public async Task<IReadOnlyList<OutboxBacklog>> ReadAsync(CancellationToken ct)
    {
        var (unsent, unanswered) = await outbox.Store.BacklogAsync(ct);
        return [new("inbound-unsent", unsent.Waiting, unsent.OldestAt), new("inbound-unanswered", unanswered.Waiting, unanswered.OldestAt)];
    }
}
