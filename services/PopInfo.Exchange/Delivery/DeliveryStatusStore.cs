using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Exchange.Delivery;

/// <summary>
/// What <see cref="DeliveryStatusReader"/> reads of where deliveries stand: a department's sequence and queue cursor, its
/// webhook's events by state, and which departments have one register change. Each on the work's connection (no
/// transaction: the counts need not agree to the event).
/// </summary>
public sealed class DeliveryStatusStore([FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database)
{
    public ServiceDatabase Database => database;

    public static async Task<IReadOnlyList<string>> DepartmentCodesAsync(UnitOfWork work, CancellationToken ct) =>
        [.. await work.Connection.QueryAsync<string>(new CommandDefinition("SELECT code FROM departments ORDER BY code", cancellationToken: ct))];

    /// <summary>The department's last sequence, queue (its broker user) and webhook, and how far the broker has confirmed its queue.</summary>
    public static Task<DepartmentPosition?> DepartmentAsync(UnitOfWork work, string code, CancellationToken ct) =>
        work.Connection.QuerySingleOrDefaultAsync<DepartmentPosition>(new CommandDefinition(
            """
            SELECT d.last_sequence AS LastSequence, d.amqp_user AS AmqpUser, d.webhook_url AS WebhookUrl, COALESCE(c.last_sequence, 0) AS Published
            FROM departments d LEFT JOIN amqp_cursors c ON c.department_code = d.code WHERE d.code = @code
            """, new { code }, cancellationToken: ct));

    /// <summary>The department's webhook events by state: how many, and the last one's sequence.</summary>
    public static async Task<Dictionary<string, StateCount>> WebhookStatesAsync(UnitOfWork work, string code, CancellationToken ct) =>
        (await work.Connection.QueryAsync<StateCount>(new CommandDefinition(
            "SELECT webhook_state AS State, COUNT(*) AS Count, MAX(sequence) AS Last FROM deliveries WHERE department_code = @code AND webhook_state IS NOT NULL GROUP BY webhook_state",
            new { code }, cancellationToken: ct))).ToDictionary(c => c.State);

    /// <summary>The department's first webhook event not delivered (pending, dead or held), if any.</summary>
    public static Task<long?> FirstUndeliveredAsync(UnitOfWork work, string code, CancellationToken ct) =>
        work.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(sequence) FROM deliveries WHERE department_code = @code AND webhook_state IN ('pending', 'dead', 'held')", new { code }, cancellationToken: ct));

    /// <summary>When the department's event of this sequence was made, if it exists.</summary>
    public static Task<DateTimeOffset?> CreatedAtAsync(UnitOfWork work, string code, long sequence, CancellationToken ct) =>
        work.Connection.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(
            "SELECT created_at FROM deliveries WHERE department_code = @code AND sequence = @sequence", new { code, sequence }, cancellationToken: ct));

    /// <summary>Every department's events of one register change, with the department's queue and how far the broker has confirmed it.</summary>
    public static async Task<IReadOnlyList<ChangeRow>> ChangeAsync(UnitOfWork work, long registrySequence, CancellationToken ct) =>
        [.. await work.Connection.QueryAsync<ChangeRow>(new CommandDefinition(
            """
            SELECT x.department_code AS Department, d.name AS DepartmentName, x.sequence AS Sequence, x.webhook_state AS Webhook, d.amqp_user AS AmqpUser, COALESCE(c.last_sequence, 0) AS Published
            FROM deliveries x JOIN departments d ON d.code = x.department_code LEFT JOIN amqp_cursors c ON c.department_code = x.department_code
            WHERE x.registry_sequence = @registrySequence ORDER BY x.department_code, x.sequence
            """, new { registrySequence }, cancellationToken: ct))];

    public sealed class DepartmentPosition
    {
        public long LastSequence { get; init; }
        public string? AmqpUser { get; init; }
        public string? WebhookUrl { get; init; }
        public long Published { get; init; }
    }

    public sealed class StateCount
    {
        public string State { get; init; } = "";
        public long Count { get; init; }
        public long Last { get; init; }
    }

    public sealed class ChangeRow
    {
        public string Department { get; init; } = "";
        public string DepartmentName { get; init; } = "";
        public long Sequence { get; init; }
        public string? Webhook { get; init; }
        public string? AmqpUser { get; init; }
        public long Published { get; init; }
    }
}
