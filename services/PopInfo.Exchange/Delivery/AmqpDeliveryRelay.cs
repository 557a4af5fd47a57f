using System.Diagnostics;
using System.Text;
using PopInfo.Domain.Exchange;
using PopInfo.Exchange.Projection;
using PopInfo.ServiceDefaults.Leases;
using PopInfo.ServiceDefaults.Messaging;
using RabbitMQ.Client;

namespace PopInfo.Exchange.Delivery;

/// <summary>
/// Sends each department's events, in its sequence order, to its durable queue <c>popinfo.dept.{code}</c>:
/// persistent messages, each confirmed by the broker, then the department's cursor moves on. At least once:
/// after a crash between the confirm and the cursor the last batch is sent again; receivers drop repeats by
/// <c>sequence</c>. Raw RabbitMQ.Client, not MassTransit, because bureaus receive plain CloudEvents, not
/// MassTransit envelopes. Single-active: only the holder of its lease sends, each cursor save fenced
/// (<see cref="OutboxRelay{TRelay}"/>); a fenced-out leader may have sent a batch again, never a department's event
/// before one it has not sent (docs/architecture.md, "Several instances: single-active loops").
/// </summary>
public sealed class AmqpDeliveryRelay(
    BrokerConnection broker,
    DepartmentQueues queues,
    DeliveryStore deliveries,
    RelaySignal<AmqpDeliveryRelay> signal,
    LeaseFactory leases,
    TimeProvider clock,
    ILogger<AmqpDeliveryRelay> logger) : OutboxRelay<AmqpDeliveryRelay>(signal, leases.For(deliveries.Database, ChangeProjector.LeaseName), clock, logger)
{
    /// <summary>Events read per department per round.</summary>
    public const int Batch = 1000;

    /// <summary>Messages published before their confirms are awaited.</summary>
    public const int Window = 1000;

    private readonly HashSet<string> declared = new(StringComparer.Ordinal);
    private IChannel? channel;

    protected override TimeSpan IdlePoll => TimeSpan.FromSeconds(2);

    protected override TimeSpan MaxBackoff => TimeSpan.FromSeconds(15);

    protected override void Reset()
    {
        channel?.Dispose();
        channel = null;
        declared.Clear();
        broker.Reset();
    }

    protected override async Task<int> RelayOnceAsync(CancellationToken ct)
    {
        // One connection for the round's read and its cursors, held while the broker confirms (one pooled open per round,
        // not two: docs/benchmarks.md, session 15's fan-out runs).
        await using var work = await deliveries.Database.OpenAsync(ct);
        var batches = await deliveries.AmqpBatchesAsync(work, Batch, ct);
        if (batches.Count == 0)
        {
            return 0;
        }

        channel ??= await broker.CreatePublishChannelAsync(ct);
        // The round's span links to every event's origin; each publish is a child of its own event's projection (docs/tracing.md).
        using var span = OutboxTracing.StartBatch("popinfo.exchange.deliveries publish", batches.SelectMany(b => b.Rows).Select(r => (r.TraceParent, r.TraceState)),
            batches.Sum(b => b.Rows.Count));
        // Every department's batch goes out before confirms are awaited — a change reaches the tenth department as
        // soon as the first — in windows of at most Window unconfirmed messages (the channel refuses more than
        // BrokerConnection allows outstanding).
        var sent = 0;
        var confirms = new List<Task>(Window);
        foreach (var (code, rows) in batches)
        {
            var queue = DepartmentTopology.Queue(code);
            if (declared.Add(queue))
            {
                // Same arguments as the management API's declaration, so this only makes sure it is there (a classic queue
                // not yet migrated refuses it: the round fails and is tried again after BrokerPermissionsRepair migrated it).
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: queues.Department(), cancellationToken: ct);
            }

            foreach (var row in rows)
            {
                confirms.Add(PublishAsync(channel, code, queue, row, span, ct));
                if (confirms.Count == Window)
                {
                    await Task.WhenAll(confirms);
                    sent += confirms.Count;
                    confirms.Clear();
                }
            }
        }

        await Task.WhenAll(confirms);
        sent += confirms.Count;
        await deliveries.SaveAmqpCursorsAsync(work, [.. batches.Select(b => (b.Code, b.Rows[^1].Sequence))], Clock.GetUtcNow(), Lease.Fence(), ct);
        return sent;
    }

    /// <summary>
    /// Publishes one event inside a producer span, a child of the event's stored context; the span's own context goes in
    /// the message's <c>traceparent</c> (and <c>tracestate</c>) header, so a bureau's consumer can continue the trace.
    /// </summary>
    private async Task PublishAsync(IChannel channel, string code, string queue, AmqpPending row, Activity? batch, CancellationToken ct)
    {
        using var span = OutboxTracing.StartRow($"{queue} publish", ActivityKind.Producer, row.TraceParent, row.TraceState, batch);
        var messageId = CloudEvents.Id(code, row.Sequence);
        span?.SetTag("messaging.system", "rabbitmq");
        span?.SetTag("messaging.operation.type", "send");
        span?.SetTag("messaging.destination.name", queue);
        span?.SetTag("messaging.message.id", messageId);
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = CloudEvents.ContentType,
            MessageId = messageId,
            Type = row.Type,
            AppId = "popinfo-exchange",
            Timestamp = new AmqpTimestamp(Clock.GetUtcNow().ToUnixTimeSeconds()),
            Headers = TraceHeaders(span, row),
        };
        await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, Encoding.UTF8.GetBytes(row.Event), ct);
    }

    /// <summary>The W3C headers of a message: the publish span's context, or the stored one when nothing records; none without either.</summary>
    private static Dictionary<string, object?>? TraceHeaders(Activity? span, AmqpPending row)
    {
        var (traceParent, traceState) = span is { IdFormat: ActivityIdFormat.W3C } ? (span.Id, span.TraceStateString) : (row.TraceParent, row.TraceState);
        if (string.IsNullOrEmpty(traceParent))
        {
            return null;
        }

        var headers = new Dictionary<string, object?> { ["traceparent"] = traceParent };
        if (!string.IsNullOrEmpty(traceState))
        {
            headers["tracestate"] = traceState;
        }

        return headers;
    }
}
