using System.Text;
using Dapper;
using PopInfo.Exchange.Departments;
using PopInfo.Exchange.Projection;
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
    public const int Batch = 1000;

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
        var database = deliveries.Database;
        await using var connection = await database.OpenConnectionAsync(ct);
        var behind = (await connection.QueryAsync<Cursor>(new CommandDefinition(
            """
            SELECT d.code AS Code, COALESCE(c.last_sequence, 0) AS Sent
            FROM departments d LEFT JOIN amqp_cursors c ON c.department_code = d.code
            WHERE d.amqp_user IS NOT NULL AND d.last_sequence > COALESCE(c.last_sequence, 0)
            """, cancellationToken: ct))).ToList();
        if (behind.Count == 0)
        {
            return 0;
        }

        channel ??= await broker.CreatePublishChannelAsync(ct);
        var sent = 0;
        foreach (var department in behind)
        {
            var rows = await deliveries.ReadAsync(department.Code, department.Sent, Batch, ct);
            if (rows.Count == 0)
            {
                continue;
            }

            var queue = DepartmentTopology.Queue(department.Code);
            if (declared.Add(queue))
            {
                // Same arguments as the management API's declaration, so this only makes sure it is there.
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: ct);
            }

            // All of the batch goes out before any confirm is awaited: one round trip per batch, not per message.
            var confirms = new List<Task>(rows.Count);
            foreach (var row in rows)
            {
                var properties = new BasicProperties
                {
                    Persistent = true,
                    ContentType = CloudEvents.ContentType,
                    MessageId = CloudEvents.Id(department.Code, row.Sequence),
                    Type = row.Type,
                    AppId = "popinfo-exchange",
                    Timestamp = new AmqpTimestamp(Clock.GetUtcNow().ToUnixTimeSeconds()),
                };
                confirms.Add(channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, Encoding.UTF8.GetBytes(row.Event), ct).AsTask());
            }

            await Task.WhenAll(confirms);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO amqp_cursors (department_code, last_sequence, updated_at) VALUES (@code, @last, @now)
                ON CONFLICT (department_code) DO UPDATE SET last_sequence = excluded.last_sequence, updated_at = excluded.updated_at
                """,
                new { code = department.Code, last = rows[^1].Sequence, now = Clock.GetUtcNow() }, cancellationToken: ct));
            sent += rows.Count;
        }

        return sent;
    }

    private sealed class Cursor
    {
        public string Code { get; init; } = "";
        public long Sent { get; init; }
    }
}
