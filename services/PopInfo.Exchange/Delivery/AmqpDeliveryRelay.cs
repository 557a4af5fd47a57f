using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Dapper;
using PopInfo.Domain.Exchange;
using PopInfo.Exchange.Projection;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging;
using RabbitMQ.Client;

namespace PopInfo.Exchange.Delivery;

/// <summary>
/// Sends each department's events, in its sequence order, to its durable queue <c>popinfo.dept.{code}</c>:
/// persistent messages, each confirmed by the broker, then the department's cursor moves on. At least once:
/// after a crash between the confirm and the cursor the last batch is sent again; receivers drop repeats by
/// <c>sequence</c>. Raw RabbitMQ.Client, not MassTransit, because bureaus receive plain CloudEvents, not
/// MassTransit envelopes.
/// </summary>
public sealed class AmqpDeliveryRelay(
    BrokerConnection broker,
    DeliveryStore deliveries,
    RelaySignal<AmqpDeliveryRelay> signal,
    TimeProvider clock,
    ILogger<AmqpDeliveryRelay> logger) : OutboxRelay<AmqpDeliveryRelay>(signal, clock, logger)
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
        await using var connection = await deliveries.Database.OpenConnectionAsync(ct);
        var behind = (await connection.QueryAsync<Cursor>(new CommandDefinition(
            """
            SELECT d.code AS Code, COALESCE(c.last_sequence, 0) AS Sent
            FROM departments d LEFT JOIN amqp_cursors c ON c.department_code = d.code
            WHERE d.amqp_user IS NOT NULL AND d.last_sequence > COALESCE(c.last_sequence, 0)
            ORDER BY d.code
            """, cancellationToken: ct))).ToList();
        if (behind.Count == 0)
        {
            return 0;
        }

        var batches = await ReadBatchesAsync(connection, deliveries.Database.Dialect, behind, ct);
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
                // Same arguments as the management API's declaration, so this only makes sure it is there.
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: ct);
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
        await SaveCursorsAsync(connection, deliveries.Database.Dialect, batches, ct);
        return sent;
    }

    /// <summary>
    /// Publishes one event inside a producer span, a child of the event's stored context; the span's own context goes in
    /// the message's <c>traceparent</c> (and <c>tracestate</c>) header, so a bureau's consumer can continue the trace.
    /// </summary>
    private async Task PublishAsync(IChannel channel, string code, string queue, Pending row, Activity? batch, CancellationToken ct)
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
    private static Dictionary<string, object?>? TraceHeaders(Activity? span, Pending row)
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

    /// <summary>Up to <see cref="Batch"/> events of each department behind, in one round trip (a UNION ALL of index range scans).</summary>
    private static async Task<List<(string Code, List<Pending> Rows)>> ReadBatchesAsync(DbConnection connection, SqlDialect dialect, List<Cursor> behind,
        CancellationToken ct)
    {
        var parameters = new DynamicParameters();
        parameters.Add("batch", Batch);
        for (var i = 0; i < behind.Count; i++)
        {
            parameters.Add($"c{i}", behind[i].Code);
            parameters.Add($"s{i}", behind[i].Sent);
        }

        var rows = await connection.QueryAsync<BatchRow>(new CommandDefinition(ReadBatchesSql(dialect, behind.Count), parameters, cancellationToken: ct));
        return [.. rows.GroupBy(r => r.DepartmentCode, StringComparer.Ordinal)
            .Select(g => (g.Key, g.OrderBy(r => r.Sequence).Select(r => new Pending(r.Sequence, r.Type, r.Event, r.TraceParent, r.TraceState)).ToList()))];
    }

    /// <summary>The batches of <paramref name="departments"/> departments (parameters <c>@c{i}</c>, <c>@s{i}</c>, <c>@batch</c>).</summary>
    internal static string ReadBatchesSql(SqlDialect dialect, int departments) =>
        string.Join(" UNION ALL ", Enumerable.Range(0, departments).Select(i =>
            "SELECT * FROM (SELECT department_code AS DepartmentCode, sequence AS Sequence, event_type AS Type, event AS Event, " +
            "traceparent AS TraceParent, tracestate AS TraceState FROM deliveries " +
            $"WHERE department_code = @c{i} AND sequence > @s{i} ORDER BY sequence{dialect.Limit("@batch")}) AS d{i}"));

    /// <summary>Moves every department's cursor in one statement.</summary>
    private async Task SaveCursorsAsync(DbConnection connection, SqlDialect dialect, List<(string Code, List<Pending> Rows)> batches, CancellationToken ct)
    {
        var parameters = new DynamicParameters();
        parameters.Add("now", Clock.GetUtcNow());
        for (var i = 0; i < batches.Count; i++)
        {
            parameters.Add($"c{i}", batches[i].Code);
            parameters.Add($"l{i}", batches[i].Rows[^1].Sequence);
        }

        await connection.ExecuteAsync(new CommandDefinition(SaveCursorsSql(dialect, batches.Count), parameters, cancellationToken: ct));
    }

    /// <summary>The cursors of <paramref name="departments"/> departments (parameters <c>@c{i}</c>, <c>@l{i}</c>, <c>@now</c>).</summary>
    internal static string SaveCursorsSql(SqlDialect dialect, int departments) => dialect.Upsert("amqp_cursors", "department_code, last_sequence, updated_at",
        string.Join(", ", Enumerable.Range(0, departments).Select(i => $"(@c{i}, @l{i}, @now)")), keys: "department_code",
        update: "last_sequence = excluded.last_sequence, updated_at = excluded.updated_at");

    private sealed class BatchRow
    {
        public string DepartmentCode { get; init; } = "";
        public long Sequence { get; init; }
        public string Type { get; init; } = "";
        public string Event { get; init; } = "";
        public string? TraceParent { get; init; }
        public string? TraceState { get; init; }
    }

    private sealed record Pending(long Sequence, string Type, string Event, string? TraceParent, string? TraceState);

    private sealed class Cursor
    {
        public string Code { get; init; } = "";
        public long Sent { get; init; }
    }
}
