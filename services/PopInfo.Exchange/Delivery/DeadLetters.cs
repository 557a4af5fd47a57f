using Dapper;
using PopInfo.Exchange.Access;
using PopInfo.Exchange.Departments;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.Exchange.Delivery;

/// <summary>One webhook event that ran out of attempts (dead) or waits behind one of the same person (held).</summary>
public sealed record DeadLetter(long Sequence, long RegistrySequence, Guid PersonId, string State, int Attempts, string? Error, DateTimeOffset? LastAttemptAt);

/// <summary>The dead-letter list of a department's webhook, and the administrator's redrive.</summary>
public sealed class DeadLetters(DeliveryStore deliveries, RelaySignal<WebhookDeliveryRelay> signal, TimeProvider clock)
{
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(string code, CancellationToken ct)
    {
        await using var connection = await deliveries.Database.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(ListSql(deliveries.Database.Dialect), new { code }, cancellationToken: ct));
        return [.. rows.Select(r => new DeadLetter(r.Sequence, r.RegistrySequence, r.PersonId, r.State, r.Attempts, r.Error, r.LastAttemptAt))];
    }

    internal static string ListSql(SqlDialect dialect) =>
        $"""
        SELECT sequence AS Sequence, registry_sequence AS RegistrySequence, person_id AS PersonId, webhook_state AS State,
               webhook_attempts AS Attempts, webhook_error AS Error, webhook_at AS LastAttemptAt
        FROM deliveries WHERE department_code = @code AND webhook_state IN ('dead', 'held') ORDER BY sequence{dialect.Limit("1000")}
        """;

    /// <summary>
    /// Puts dead and held events back in line (all, or the given sequences with the events held behind them);
    /// the worker sends them again in sequence order. Returns how many.
    /// </summary>
    public async Task<int> RedriveAsync(Caller caller, string code, IReadOnlyList<long>? sequences, CancellationToken ct)
    {
        await using var connection = await deliveries.Database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await deliveries.Database.Dialect.LockAsync(connection, transaction, LockName(code), shared: false, ct);
        int count;
        if (sequences is null || sequences.Count == 0)
        {
            count = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE deliveries SET webhook_state = 'pending', webhook_attempts = 0 WHERE department_code = @code AND webhook_state IN ('dead', 'held')",
                new { code }, transaction, cancellationToken: ct));
        }
        else
        {
            // The chosen dead letters, and whatever of the same persons is held behind them.
            var persons = (await connection.QueryAsync<Guid>(new CommandDefinition(
                $"SELECT DISTINCT person_id FROM deliveries WHERE department_code = @code AND webhook_state = 'dead' AND {deliveries.Database.Dialect.In("sequence", "sequences")}",
                new { code, sequences = sequences.ToArray() }, transaction, cancellationToken: ct))).ToArray();
            count = persons.Length == 0 ? 0 : await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE deliveries SET webhook_state = 'pending', webhook_attempts = 0 WHERE department_code = @code AND webhook_state IN ('dead', 'held') AND {deliveries.Database.Dialect.In("person_id", "persons")}",
                new { code, persons }, transaction, cancellationToken: ct));
        }

        await ExchangeAudit.WriteAsync(deliveries.Database.Dialect, connection, transaction, caller, clock.GetUtcNow(), "webhook.redriven", code, after: new { sequences, count }, ct: ct);
        await transaction.CommitAsync(ct);
        signal.Notify();
        return count;
    }

    /// <summary>The lock a redrive and the webhook worker's decision to hold an event both take (see WebhookDeliveryRelay).</summary>
    public static string LockName(string code) => $"exchange-webhook:{code}";

    private sealed class Row
    {
        public long Sequence { get; init; }
        public long RegistrySequence { get; init; }
        public Guid PersonId { get; init; }
        public string State { get; init; } = "";
        public int Attempts { get; init; }
        public string? Error { get; init; }
        public DateTimeOffset? LastAttemptAt { get; init; }
    }
}
