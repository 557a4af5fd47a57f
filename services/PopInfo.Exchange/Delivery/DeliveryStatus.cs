using PopInfo.Exchange.Brokers;

namespace PopInfo.Exchange.Delivery;

/// <summary>Where one department's deliveries stand (docs/exchange.md, "Delivery status").</summary>
public sealed record DepartmentDeliveryStatus(
    string Department, long LastSequence, AmqpStatus? Amqp, WebhookStatus? Webhook, long Backlog, double LagSeconds);

/// <param name="Published">Last sequence the broker confirmed into the queue.</param>
/// <param name="InQueue">Messages the broker holds (ready + delivered but not acknowledged); null when the broker could not be asked.</param>
/// <param name="Consumers">Connections consuming the queue now.</param>
/// <param name="Acknowledged">Last sequence the department has acknowledged: the queue is first in, first out, so everything before what it still holds.</param>
public sealed record AmqpStatus(long Published, long? InQueue, long? Acknowledged, int? Consumers);

public sealed record WebhookStatus(long Delivered, long Pending, long DeadLetters, long Held);

/// <summary>Which departments have one register change (the desk shows it on a form).</summary>
public sealed record ChangeDelivery(string Department, string DepartmentName, long Sequence, bool? InQueue, bool? AcknowledgedFromQueue, string? Webhook);

public sealed class DeliveryStatusReader(DeliveryStatusStore store, IBrokerAccounts broker, TimeProvider clock)
{
    public async Task<IReadOnlyList<DepartmentDeliveryStatus>> AllAsync(CancellationToken ct)
    {
        await using var work = await store.Database.OpenAsync(ct);
        var codes = await DeliveryStatusStore.DepartmentCodesAsync(work, ct);
        var all = new List<DepartmentDeliveryStatus>();
        foreach (var code in codes)
        {
            all.Add((await ForAsync(code, ct))!);
        }

        return all;
    }

    public async Task<DepartmentDeliveryStatus?> ForAsync(string code, CancellationToken ct)
    {
        await using var work = await store.Database.OpenAsync(ct);
        var department = await DeliveryStatusStore.DepartmentAsync(work, code, ct);
        if (department is null)
        {
            return null;
        }

        AmqpStatus? amqp = null;
        long? acknowledged = null;
        if (department.AmqpUser is not null)
        {
            QueueDepth? depth = null;
            try
            {
                depth = await broker.QueueDepthAsync(code, ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or BrokerUnavailableException)
            {
                // Status without the broker's view rather than no status.
            }

            acknowledged = depth is null ? null : Math.Max(0, department.Published - depth.InQueue);
            amqp = new AmqpStatus(department.Published, depth?.InQueue, acknowledged, depth?.Consumers);
        }

        WebhookStatus? webhook = null;
        long? webhookDone = null;
        var counts = await DeliveryStatusStore.WebhookStatesAsync(work, code, ct);
        if (department.WebhookUrl is not null || counts.Count > 0)
        {
            var pending = counts.GetValueOrDefault(WebhookStates.Pending);
            webhook = new WebhookStatus(counts.GetValueOrDefault(WebhookStates.Delivered)?.Last ?? 0, pending?.Count ?? 0,
                counts.GetValueOrDefault(WebhookStates.Dead)?.Count ?? 0, counts.GetValueOrDefault(WebhookStates.Held)?.Count ?? 0);
            webhookDone = await DeliveryStatusStore.FirstUndeliveredAsync(work, code, ct) is { } first
                ? first - 1
                : department.LastSequence;
        }

        // The slowest channel decides: what the department has not yet taken in, and since when it has been waiting.
        var taken = new[] { acknowledged ?? (amqp is null ? (long?)null : amqp.Published), webhookDone }.Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(department.LastSequence).Min();
        var backlog = department.LastSequence - taken;
        var lag = 0.0;
        if (backlog > 0)
        {
            var oldest = await DeliveryStatusStore.CreatedAtAsync(work, code, taken + 1, ct);
            lag = oldest is null ? 0 : Math.Max(0, (clock.GetUtcNow() - oldest.Value).TotalSeconds);
        }

        return new DepartmentDeliveryStatus(code, department.LastSequence, amqp, webhook, backlog, Math.Round(lag, 3));
    }

    public async Task<IReadOnlyList<ChangeDelivery>> ForChangeAsync(long registrySequence, CancellationToken ct)
    {
        await using var work = await store.Database.OpenAsync(ct);
        var rows = await DeliveryStatusStore.ChangeAsync(work, registrySequence, ct);
        var result = new List<ChangeDelivery>();
        var depths = new Dictionary<string, QueueDepth?>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            bool? inQueue = row.AmqpUser is null ? null : row.Sequence <= row.Published;
            bool? acknowledged = null;
            if (inQueue == true)
            {
                // A department with two subscriptions has two rows: ask the broker once.
                if (!depths.TryGetValue(row.Department, out var depth))
                {
                    depth = depths[row.Department] = await broker.QueueDepthAsync(row.Department, ct);
                }

                acknowledged = depth is null ? null : row.Sequence <= row.Published - depth.InQueue;
            }

            result.Add(new ChangeDelivery(row.Department, row.DepartmentName, row.Sequence, inQueue, acknowledged, row.Webhook));
        }

        return result;
    }
}
