using Dapper;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;

namespace PopInfo.Exchange.Delivery;

/// <summary>
/// What <see cref="WebhookDeliveryRelay"/> reads and writes of the departments' webhook events: which departments have
/// events waiting, a department's webhook and its next pending events, the hold of an event behind an earlier dead
/// letter of the same person, and each event's outcome. A worker's statements run on its work's connection.
/// </summary>
public sealed class WebhookDeliveryStore([FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database)
{
    public ServiceDatabase Database => database;

    /// <summary>The departments with webhook events pending.</summary>
    public async Task<IReadOnlyList<string>> WaitingAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT department_code FROM deliveries WHERE webhook_state = 'pending'", cancellationToken: ct))];
    }

    /// <summary>The active department's webhook (its URL and protected secret); null when the department is not active.</summary>
    public static Task<Target?> TargetAsync(UnitOfWork work, string code, CancellationToken ct) =>
        work.Connection.QuerySingleOrDefaultAsync<Target>(new CommandDefinition(
            "SELECT webhook_url AS Url, webhook_secret AS Secret FROM departments WHERE code = @code AND status = 'active'", new { code }, cancellationToken: ct));

    /// <summary>The department's next pending events (at most 100), in sequence order.</summary>
    public static async Task<IReadOnlyList<Pending>> PendingAsync(UnitOfWork work, string code, CancellationToken ct) =>
        [.. await work.Connection.QueryAsync<Pending>(new CommandDefinition(PendingSql(work.Dialect), new { code }, cancellationToken: ct))];

    internal static string PendingSql(SqlDialect dialect) =>
        $"""
        SELECT sequence AS Sequence, person_id AS PersonId, event AS Event, traceparent AS TraceParent, tracestate AS TraceState
        FROM deliveries WHERE department_code = @code AND webhook_state = 'pending' ORDER BY sequence{dialect.Limit("100")}
        """;

    internal static string EarlierStateSql(SqlDialect dialect) =>
        "SELECT webhook_state FROM deliveries WHERE department_code = @code AND person_id = @personId " +
        $"AND webhook_state IN ('dead', 'held', 'pending') AND sequence < @sequence ORDER BY sequence{dialect.Limit("1")}";

    /// <summary>
    /// Holds the event (<paramref name="error"/> its reason, stamped with <paramref name="clock"/>'s time) when an earlier
    /// one of the same person is dead or held, and says what state that earlier one is in (null: none). In a transaction
    /// of its own on the connection of a work without one, under the department's lock (<see cref="DeadLetters.LockName"/>),
    /// which a redrive takes too: otherwise a redrive could release the dead letter between this look and the hold, and
    /// the event would stay held behind nothing.
    /// </summary>
    public static async Task<string?> HoldIfBehindAsync(UnitOfWork work, string code, Pending item, string error, TimeProvider clock, CancellationToken ct)
    {
        var connection = work.Connection;
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await work.Dialect.LockAsync(connection, transaction, DeadLetters.LockName(code), shared: false, ct);
        var earlier = await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            EarlierStateSql(work.Dialect),
            new { code, personId = item.PersonId, sequence = item.Sequence }, transaction, cancellationToken: ct));
        if (earlier is WebhookStates.Dead or WebhookStates.Held)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE deliveries SET webhook_state = 'held', webhook_error = @error, webhook_at = @now WHERE department_code = @code AND sequence = @sequence",
                new { code, sequence = item.Sequence, error, now = clock.GetUtcNow() }, transaction, cancellationToken: ct));
        }

        await transaction.CommitAsync(ct);
        return earlier;
    }

    /// <summary>
    /// An event's outcome (delivered or dead) after <paramref name="attempts"/> more attempts, fenced by the relay's lease in
    /// the same command and a transaction of its own on the work's connection: when another instance leads now,
    /// <see cref="LeaseLostException"/> and the outcome is not written (the leader sends the event again).
    /// </summary>
    public static Task MarkAsync(UnitOfWork work, string code, long sequence, string state, int attempts, string? error, DateTimeOffset now,
        LeaseFence fence, CancellationToken ct) =>
        LeaseStore.WriteFencedAsync(work.Connection, MarkSql(work.Dialect),
            new DynamicParameters(new { code, sequence, state, attempts, error, now = now.ToUniversalTime() }), fence, ct);

    /// <summary>The outcome's update, then the fence.</summary>
    internal static string MarkSql(SqlDialect dialect) =>
        "UPDATE deliveries SET webhook_state = @state, webhook_attempts = webhook_attempts + @attempts, webhook_error = @error, webhook_at = @now " +
        "WHERE department_code = @code AND sequence = @sequence;\n" + LeaseStore.FenceSql(dialect);

    public sealed class Target
    {
        public string? Url { get; init; }
        public string? Secret { get; init; }
    }

    public sealed class Pending
    {
        public long Sequence { get; init; }
        public Guid PersonId { get; init; }
        public string Event { get; init; } = "";
        public string? TraceParent { get; init; }
        public string? TraceState { get; init; }
    }
}
