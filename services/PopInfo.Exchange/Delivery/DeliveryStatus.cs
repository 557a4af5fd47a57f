using Dapper;
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

public sealed class DeliveryStatusReader(DeliveryStore deliveries, IBrokerAccounts broker, TimeProvider clock)
{
    public async Task<IReadOnlyList<DepartmentDeliveryStatus>> AllAsync(CancellationToken ct)
    {
        await using var connection = await deliveries.Database.OpenConnectionAsync(ct);
        var codes = await connection.QueryAsync<string>(new CommandDefinition("SELECT code FROM departments ORDER BY code", cancellationToken: ct));
        var all = new List<DepartmentDeliveryStatus>();
        foreach (var code in codes)
        {
            all.Add((await ForAsync(code, ct))!);
        }

        return all;
    }

    public async Task<DepartmentDeliveryStatus?> ForAsync(string code, CancellationToken ct)
    {
        await using var connection = await deliveries.Database.OpenConnectionAsync(ct);
        var department = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT d.last_sequence AS LastSequence, d.amqp_user AS AmqpUser, d.webhook_url AS WebhookUrl, COALESCE(c.last_sequence, 0) AS Published
            FROM departments d LEFT JOIN amqp_cursors c ON c.department_code = d.code WHERE d.code = @code
            """, new { code }, cancellationToken: ct));
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
        var counts = (await connection.QueryAsync<StateCount>(new CommandDefinition(
            "SELECT webhook_state AS State, COUNT(*) AS Count, MAX(sequence) AS Last FROM deliveries WHERE department_code = @code AND webhook_state IS NOT NULL GROUP BY webhook_state",
            new { code }, cancellationToken: ct))).ToDictionary(c => c.State);
        if (department.WebhookUrl is not null || counts.Count > 0)
        {
            var pending = counts.GetValueOrDefault(WebhookStates.Pending);
            webhook = new WebhookStatus(counts.GetValueOrDefault(WebhookStates.Delivered)?.Last ?? 0, pending?.Count ?? 0,
                counts.GetValueOrDefault(WebhookStates.Dead)?.Count ?? 0, counts.GetValueOrDefault(WebhookStates.Held)?.Count ?? 0);
            webhookDone = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT MIN(sequence) FROM deliveries WHERE department_code = @code AND webhook_state IN ('pending', 'dead', 'held')", new { code }, cancellationToken: ct)) is { } first
                ? first - 1
                : department.LastSequence;
        }

        // The slowest channel decides: what the department has not yet taken in, and since when it has been waiting.
        var taken = new[] { acknowledged ?? (amqp is null ? (long?)null : amqp.Published), webhookDone }.Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(department.LastSequence).Min();
        var backlog = department.LastSequence - taken;
        var lag = 0.0;
        if (backlog > 0)
        {
            var oldest = await connection.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(
                "SELECT created_at FROM deliveries WHERE department_code = @code AND sequence = @sequence", new { code, sequence = taken + 1 }, cancellationToken: ct));
            lag = oldest is null ? 0 : Math.Max(0, (clock.GetUtcNow() - oldest.Value).TotalSeconds);
        }

        return new DepartmentDeliveryStatus(code, department.LastSequence, amqp, webhook, backlog, Math.Round(lag, 3));
    }

    public async Task<IReadOnlyList<ChangeDelivery>> ForChangeAsync(long registrySequence, CancellationToken ct)
    {
        await using var connection = await deliveries.Database.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ChangeRow>(new CommandDefinition(
            """
            SELECT x.department_code AS Department, d.name AS DepartmentName, x.sequence AS Sequence, x.webhook_state AS Webhook, d.amqp_user AS AmqpUser, COALESCE(c.last_sequence, 0) AS Published
            FROM deliveries x JOIN departments d ON d.code = x.department_code LEFT JOIN amqp_cursors c ON c.department_code = x.department_code
            WHERE x.registry_sequence = @registrySequence ORDER BY x.department_code, x.sequence
            """, new { registrySequence }, cancellationToken: ct));
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

    private sealed class Row
    {
        public long LastSequence { get; init; }
        public string? AmqpUser { get; init; }
        public string? WebhookUrl { get; init; }
        public long Published { get; init; }
    }

    private sealed class StateCount
    {
        public string State { get; init; } = "";
        public long Count { get; init; }
        public long Last { get; init; }
    }

    private sealed class ChangeRow
    {
        public string Department { get; init; } = "";
        public string DepartmentName { get; init; } = "";
        public long Sequence { get; init; }
        public string? Webhook { get; init; }
        public string? AmqpUser { get; init; }
        public long Published { get; init; }
    }
}
