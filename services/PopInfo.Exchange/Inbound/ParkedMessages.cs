using System.Globalization;
using System.Text;
using PopInfo.Domain.Exchange;
using PopInfo.Exchange.Delivery;
using PopInfo.ServiceDefaults.Outcomes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace PopInfo.Exchange.Inbound;

/// <summary>Why a message was parked: the rule, the field it concerns (if any), and words — never the content.</summary>
public sealed record ParkReason(string Rule, string? Field, string Reason)
{
    /// <summary>The refusal's first violation, or its own rule and words (its detail, else its title).</summary>
    public static ParkReason From(Refusal refusal) =>
        refusal.Violations is [var first, ..]
            ? new(first.Rule, first.Field, first.Message)
            : new(refusal.Rule ?? "unknown", null, refusal.Detail ?? refusal.Title);
}

/// <summary>One parked message, as its headers describe it.</summary>
public sealed record ParkedMessage(DateTimeOffset? ParkedAt, string? Rule, string? Field, string? Reason, string? MessageId, int Bytes);

public sealed record ParkedReasonCount(string Rule, int Count);

/// <summary>
/// A parking queue: how many messages wait in it (<c>count</c>, ready ones), when the oldest was parked, and the
/// first <see cref="ParkedMessages.MaxShown"/> with their reasons, counted by rule. <c>queue</c> is null when the
/// platform runs without RabbitMQ (nothing is pushed over AMQP then).
/// </summary>
public sealed record ParkedView(
    string? Department, string? Queue, long Count, DateTimeOffset? Oldest, IReadOnlyList<ParkedReasonCount> Reasons, IReadOnlyList<ParkedMessage> Messages);

/// <summary>
/// Moves an inbound message that cannot be processed to a parking queue, and shows what a parking queue holds.
/// Republished by the exchange (publisher confirms, then the original is acknowledged) rather than dead-lettered by
/// the broker: every department's exchange feeds one inbound queue, and a dead-letter exchange would route all of
/// them to one place, with only the broker's own reason (<c>rejected</c>) — not the department's queue, nor the rule.
/// </summary>
public sealed class ParkedMessages(TimeProvider clock, BrokerConnection? broker = null)
{
    /// <summary>The messages a view lists (and counts by rule), oldest first.</summary>
    public const int MaxShown = 100;

    /// <summary>
    /// Publishes the message, body and properties as sent, to <paramref name="queue"/> with the reason in its headers,
    /// and waits for the broker's confirmation; the caller then acknowledges the original. The queue is declared first,
    /// as the management API made it (a department made before parking queues existed gets its queue now).
    /// </summary>
    public async Task ParkAsync(IChannel publisher, BasicDeliverEventArgs delivery, string queue, ParkReason reason, CancellationToken ct)
    {
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: DepartmentQueues.Parking(), cancellationToken: ct);
        var sent = delivery.BasicProperties;
        var headers = sent.Headers is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(sent.Headers);
        headers[InboundParking.RuleHeader] = reason.Rule;
        headers[InboundParking.ReasonHeader] = reason.Reason;
        headers[InboundParking.ParkedAtHeader] = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        headers[InboundParking.ExchangeHeader] = delivery.Exchange;
        if (reason.Field is not null)
        {
            headers[InboundParking.FieldHeader] = reason.Field;
        }

        // Not user_id: the broker checks it against the publishing connection, which is the exchange's, not the department's.
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = sent.ContentType,
            ContentEncoding = sent.ContentEncoding,
            MessageId = sent.MessageId,
            CorrelationId = sent.CorrelationId,
            Type = sent.Type,
            AppId = sent.AppId,
            Headers = headers,
        };
        if (sent.IsTimestampPresent())
        {
            properties.Timestamp = sent.Timestamp;
        }

        await publisher.BasicPublishAsync("", queue, mandatory: true, properties, delivery.Body, ct);
    }

    /// <summary>What waits in a parking queue. Nothing is taken: the messages read are put back in their places.</summary>
    public async Task<ParkedView> ReadAsync(string? department, string queue, CancellationToken ct)
    {
        if (broker is null)
        {
            return new ParkedView(department, null, 0, null, [], []);
        }

        var connection = await broker.GetAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        uint ready;
        try
        {
            ready = (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            // Not made yet: nothing was ever parked there.
            return new ParkedView(department, queue, 0, null, [], []);
        }

        var shown = new List<ParkedMessage>();
        ulong last = 0;
        while (shown.Count < Math.Min(ready, MaxShown) && await channel.BasicGetAsync(queue, autoAck: false, ct) is { } got)
        {
            shown.Add(Describe(got.BasicProperties, got.Body.Length));
            last = got.DeliveryTag;
        }

        if (last > 0)
        {
            await channel.BasicNackAsync(last, multiple: true, requeue: true, ct);
            // A quorum queue takes messages back through its log, a moment later: the view returns once they are ready
            // again, so that a view read right after this one counts them too (at most a few seconds).
            for (var wait = 0; wait < 50 && (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount < ready; wait++)
            {
                await Task.Delay(100, ct);
            }
        }

        var reasons = shown.GroupBy(m => m.Rule ?? "unknown", StringComparer.Ordinal)
            .Select(g => new ParkedReasonCount(g.Key, g.Count()))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Rule, StringComparer.Ordinal)
            .ToList();
        return new ParkedView(department, queue, ready, shown.FirstOrDefault()?.ParkedAt, reasons, shown);
    }

    private static ParkedMessage Describe(IReadOnlyBasicProperties properties, int bytes)
    {
        string? Header(string name) => properties.Headers?.TryGetValue(name, out var value) == true
            ? value switch { byte[] b => Encoding.UTF8.GetString(b), null => null, _ => value.ToString() }
            : null;

        var parkedAt = DateTimeOffset.TryParse(Header(InboundParking.ParkedAtHeader), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
        return new ParkedMessage(parkedAt, Header(InboundParking.RuleHeader), Header(InboundParking.FieldHeader), Header(InboundParking.ReasonHeader), properties.MessageId, bytes);
    }
}
