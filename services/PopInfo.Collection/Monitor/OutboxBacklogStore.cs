using PopInfo.Collection.Transmission;
using PopInfo.Domain.Monitoring;
using PopInfo.ServiceDefaults.Messaging.RegistryOutbox;

namespace PopInfo.Collection.Monitor;

/// <summary>
/// The desk's outbox to the registry as the monitoring service sees it: <c>submissions-unsent</c> (commands not yet handed
/// to the broker) and <c>submissions-unanswered</c> (commands whose registry answer has not come: sent or not).
/// </summary>
public sealed class OutboxBacklogStore(RegistryOutbox<FormAnswerStore> outbox)
{
    public async Task<IReadOnlyList<OutboxBacklog>> ReadAsync(CancellationToken ct)
    {
        var (unsent, unanswered) = await outbox.Store.BacklogAsync(ct);
        return [new("submissions-unsent", unsent.Waiting, unsent.OldestAt), new("submissions-unanswered", unanswered.Waiting, unanswered.OldestAt)];
    }
}
