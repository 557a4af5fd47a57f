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

        var batches = new List<(string Code, IReadOnlyList<FeedEntry> Rows)>(behind.Count);
        foreach (var department in behind)
        {
            var rows = await DeliveryStore.ReadAsync(connection, department.Code, department.Sent, Batch, ct);
            if (rows.Count > 0)
            {
                batches.Add((department.Code, rows));
            }
        }

        channel ??= await broker.CreatePublishChannelAsync(ct);
        // Every department's batch goes out before any confirm is awaited: one round trip for all, not one per
        // message or per department (a change reaches the tenth department as soon as the first).
        var confirms = new List<Task>(batches.Sum(b => b.Rows.Count));
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
                var properties = new BasicProperties
                {
                    Persistent = true,
                    ContentType = CloudEvents.ContentType,
                    MessageId = CloudEvents.Id(code, row.Sequence),
                    Type = row.Type,
                    AppId = "popinfo-exchange",
                    Timestamp = new AmqpTimestamp(Clock.GetUtcNow().ToUnixTimeSeconds()),
                };
                confirms.Add(channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, Encoding.UTF8.GetBytes(row.Event), ct).AsTask());
            }
        }

        await Task.WhenAll(confirms);
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            var now = Clock.GetUtcNow();
            foreach (var (code, rows) in batches)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO amqp_cursors (department_code, last_sequence, updated_at) VALUES (@code, @last, @now)
                    ON CONFLICT (department_code) DO UPDATE SET last_sequence = excluded.last_sequence, updated_at = excluded.updated_at
                    """,
                    new { code, last = rows[^1].Sequence, now }, transaction, cancellationToken: ct));
            }

            await transaction.CommitAsync(ct);
        }

        return confirms.Count;
    }

    private sealed class Cursor
    {
        public string Code { get; init; } = "";
        public long Sent { get; init; }
    }
}
