using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Exchange.PersonAccess;

/// <summary>Reads one person's events per department, and the feed reads that returned them.</summary>
public sealed class PersonDeliveryStore([FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database)
{
    /// <summary>The person's events (only of these register sequences, when given), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Row>> DeliveriesAsync(Guid personId, IReadOnlyList<long>? registrySequences, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<Row>(new CommandDefinition(
            DeliveriesSql(database.Dialect, onlySequences: registrySequences is not null),
            new { personId, sequences = registrySequences?.ToArray(), limit }, cancellationToken: ct))];
    }

    internal static string DeliveriesSql(SqlDialect dialect) => DeliveriesSql(dialect, onlySequences: true);

    private static string DeliveriesSql(SqlDialect dialect, bool onlySequences) =>
        $"""
        SELECT x.department_code AS Department, d.name AS DepartmentName, x.sequence AS Sequence, x.registry_sequence AS RegistrySequence,
               x.event_type AS EventType, x.subscription_id AS SubscriptionId, s.purpose AS Purpose, x.created_at AS CreatedAt,
               x.webhook_state AS WebhookState, x.webhook_attempts AS WebhookAttempts, x.webhook_at AS WebhookAt,
               d.amqp_user AS AmqpUser, COALESCE(c.last_sequence, 0) AS Published
        FROM deliveries x JOIN departments d ON d.code = x.department_code
        LEFT JOIN subscriptions s ON s.id = x.subscription_id
        LEFT JOIN amqp_cursors c ON c.department_code = x.department_code
        WHERE x.person_id = @personId{(onlySequences ? " AND " + dialect.In("x.registry_sequence", "sequences") : "")}
        ORDER BY x.registry_sequence, x.department_code, x.sequence{dialect.Limit("@limit")}
        """;

    /// <summary>
    /// Each audited read of a department's feed (<c>feed.read</c>, its first and last event in <c>after</c>) that
    /// returned one of the person's events.
    /// </summary>
    public async Task<IReadOnlyList<FeedReadRow>> FeedReadsAsync(Guid personId, CancellationToken ct)
    {
        var dialect = database.Dialect;
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<FeedReadRow>(new CommandDefinition(
            $"""
            SELECT x.department_code AS Department, x.sequence AS Sequence, a.id AS AuditId, a.at AS At, a.actor AS Actor
            FROM deliveries x JOIN audit_log a ON a.department_code = x.department_code AND a.action = 'feed.read'
            WHERE x.person_id = @personId
              AND {dialect.JsonInteger("a.after", "first")} <= x.sequence AND {dialect.JsonInteger("a.after", "last")} >= x.sequence
            ORDER BY a.id
            """, new { personId }, cancellationToken: ct))];
    }

    public sealed class Row
    {
        public string Department { get; init; } = "";
        public string DepartmentName { get; init; } = "";
        public long Sequence { get; init; }
        public long RegistrySequence { get; init; }
        public string EventType { get; init; } = "";
        public Guid SubscriptionId { get; init; }
        public string? Purpose { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string? WebhookState { get; init; }
        public int WebhookAttempts { get; init; }
        public DateTimeOffset? WebhookAt { get; init; }
        public string? AmqpUser { get; init; }
        public long Published { get; init; }
    }

    public sealed class FeedReadRow
    {
        public string Department { get; init; } = "";
        public long Sequence { get; init; }
        public long AuditId { get; init; }
        public DateTimeOffset At { get; init; }
        public string Actor { get; init; } = "";
    }
}
