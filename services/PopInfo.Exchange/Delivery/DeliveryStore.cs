using System.Data.Common;
using Dapper;
using PopInfo.Exchange.Access;
using PopInfo.Exchange.Departments;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;

namespace PopInfo.Exchange.Delivery;

/// <summary>The projected events: written by the projector, read by the senders, the feed and the status.</summary>
public sealed class DeliveryStore([FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database)
{
    /// <summary>Where the AMQP relay begins the work of a round (its read and its cursors on one connection).</summary>
    public ServiceDatabase Database => database;

    /// <summary>Writes a batch of events in the work's transaction (the dialect's bulk insert: PostgreSQL's COPY).</summary>
    public static async Task InsertAsync(UnitOfWork work, IReadOnlyList<DeliveryRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var transaction = work.Transaction ?? throw new InvalidOperationException("Events are written in a transaction.");
        // PostgreSQL's binary COPY: ~2,700 rows/s one round trip per row; one statement over arrays was ~30,000 (docs/benchmarks.md).
        await work.Dialect.BulkInsertAsync(work.Connection, transaction, "deliveries", Columns, rows.Select(r => new object?[]
        {
            r.DepartmentCode, r.Sequence, r.RegistrySequence, r.SubscriptionId, r.PersonId, r.EventType, r.Event, r.CreatedAt, r.WebhookState,
            r.TraceParent, r.TraceState,
        }), ct);
    }

    private static readonly string[] Columns =
        ["department_code", "sequence", "registry_sequence", "subscription_id", "person_id", "event_type", "event", "created_at", "webhook_state", "traceparent", "tracestate"];

    /// <summary>
    /// A department's events after <paramref name="after"/>, in order: the feed, on the replica when there is one
    /// (docs/database-replica.md). No event is skipped there: a department's events are numbered by the one projector holding
    /// the lease, each work committing its events with the department's new <c>last_sequence</c> (its row locked to commit)
    /// before the next work begins, so they commit in sequence order; the replica replays commits in that order — it holds a
    /// gap-free prefix of each department's events, and a cursor beyond it is answered "nothing yet".
    /// </summary>
    public Task<IReadOnlyList<FeedEntry>> ReadAsync(string code, long after, int limit, CancellationToken ct)
    {
        var reads = database.Reads;
        return reads.ReadAsync(async c =>
        {
            await using var connection = await reads.OpenConnectionAsync(c);
            return await ReadAsync(connection, code, after, limit, c);
        }, ct);
    }

    private async Task<IReadOnlyList<FeedEntry>> ReadAsync(DbConnection connection, string code, long after, int limit, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<FeedEntry>(new CommandDefinition(ReadSql(database.Dialect), new { code, after, limit }, cancellationToken: ct));
        return [.. rows];
    }

    /// <summary>
    /// The AMQP relay's next round: up to <paramref name="batch"/> events of each department with a queue whose events
    /// are ahead of its cursor, by department, in sequence order (one round trip: a UNION ALL of index range scans).
    /// </summary>
    public async Task<IReadOnlyList<(string Code, List<AmqpPending> Rows)>> AmqpBatchesAsync(UnitOfWork work, int batch, CancellationToken ct)
    {
        var connection = work.Connection;
        var behind = (await connection.QueryAsync<AmqpCursor>(new CommandDefinition(
            """
            SELECT d.code AS Code, COALESCE(c.last_sequence, 0) AS Sent
            FROM departments d LEFT JOIN amqp_cursors c ON c.department_code = d.code
            WHERE d.amqp_user IS NOT NULL AND d.last_sequence > COALESCE(c.last_sequence, 0)
            ORDER BY d.code
            """, transaction: work.Transaction, cancellationToken: ct))).ToList();
        if (behind.Count == 0)
        {
            return [];
        }

        var parameters = new DynamicParameters();
        parameters.Add("batch", batch);
        for (var i = 0; i < behind.Count; i++)
        {
            parameters.Add($"c{i}", behind[i].Code);
            parameters.Add($"s{i}", behind[i].Sent);
        }

        var rows = await connection.QueryAsync<AmqpBatchRow>(new CommandDefinition(AmqpBatchesSql(work.Dialect, behind.Count), parameters, work.Transaction, cancellationToken: ct));
        return [.. rows.GroupBy(r => r.DepartmentCode, StringComparer.Ordinal)
            .Select(g => (g.Key, g.OrderBy(r => r.Sequence).Select(r => new AmqpPending(r.Sequence, r.Type, r.Event, r.TraceParent, r.TraceState)).ToList()))];
    }

    /// <summary>The batches of <paramref name="departments"/> departments (parameters <c>@c{i}</c>, <c>@s{i}</c>, <c>@batch</c>).</summary>
    internal static string AmqpBatchesSql(SqlDialect dialect, int departments) =>
        string.Join(" UNION ALL ", Enumerable.Range(0, departments).Select(i =>
            "SELECT * FROM (SELECT department_code AS DepartmentCode, sequence AS Sequence, event_type AS Type, event AS Event, " +
            "traceparent AS TraceParent, tracestate AS TraceState FROM deliveries " +
            $"WHERE department_code = @c{i} AND sequence > @s{i} ORDER BY sequence{dialect.Limit("@batch")}) AS d{i}"));

    /// <summary>
    /// Moves every department's AMQP cursor to the last sequence the broker confirmed, in one statement, fenced by the
    /// relay's lease in the same command and a transaction of its own on the round's connection: when another instance
    /// leads now, <see cref="LeaseLostException"/> and no cursor moved.
    /// </summary>
    public async Task SaveAmqpCursorsAsync(UnitOfWork work, IReadOnlyList<(string Code, long Last)> given, DateTimeOffset now, LeaseFence fence, CancellationToken ct)
    {
        var cursors = OnePerDepartment(given);
        var parameters = new DynamicParameters();
        parameters.Add("now", now);
        for (var i = 0; i < cursors.Count; i++)
        {
            parameters.Add($"c{i}", cursors[i].Code);
            parameters.Add($"l{i}", cursors[i].Last);
        }

        await LeaseStore.WriteFencedAsync(work.Connection, SaveAmqpCursorsSql(database.Dialect, cursors.Count), parameters, fence, ct);
    }

    /// <summary>
    /// One cursor per department, the furthest: one upsert may not name a key twice (PostgreSQL's <c>DO UPDATE</c> refuses
    /// to touch a row twice, SQL Server's <c>MERGE</c> too), so a department given twice is written once on every product.
    /// </summary>
    internal static IReadOnlyList<(string Code, long Last)> OnePerDepartment(IReadOnlyList<(string Code, long Last)> cursors) =>
        [.. cursors.GroupBy(c => c.Code, StringComparer.Ordinal).Select(g => (g.Key, g.Max(c => c.Last)))];

    /// <summary>The cursors of <paramref name="departments"/> departments (parameters <c>@c{i}</c>, <c>@l{i}</c>, <c>@now</c>), then the fence.</summary>
    internal static string SaveAmqpCursorsSql(SqlDialect dialect, int departments) => dialect.Upsert("amqp_cursors", "department_code, last_sequence, updated_at",
        string.Join(", ", Enumerable.Range(0, departments).Select(i => $"(@c{i}, @l{i}, @now)")), keys: "department_code",
        update: "last_sequence = excluded.last_sequence, updated_at = excluded.updated_at").TrimEnd(';') + ";\n" + LeaseStore.FenceSql(dialect);

    private sealed class AmqpBatchRow
    {
        public string DepartmentCode { get; init; } = "";
        public long Sequence { get; init; }
        public string Type { get; init; } = "";
        public string Event { get; init; } = "";
        public string? TraceParent { get; init; }
        public string? TraceState { get; init; }
    }

    private sealed class AmqpCursor
    {
        public string Code { get; init; } = "";
        public long Sent { get; init; }
    }

    /// <summary>A department's dead and held webhook events, oldest first (at most 1,000).</summary>
    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string code, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<DeadLetterRow>(new CommandDefinition(DeadLettersSql(database.Dialect), new { code }, cancellationToken: ct));
        return [.. rows.Select(r => new DeadLetter(r.Sequence, r.RegistrySequence, r.PersonId, r.State, r.Attempts, r.Error, r.LastAttemptAt))];
    }

    internal static string DeadLettersSql(SqlDialect dialect) =>
        $"""
        SELECT sequence AS Sequence, registry_sequence AS RegistrySequence, person_id AS PersonId, webhook_state AS State,
               webhook_attempts AS Attempts, webhook_error AS Error, webhook_at AS LastAttemptAt
        FROM deliveries WHERE department_code = @code AND webhook_state IN ('dead', 'held') ORDER BY sequence{dialect.Limit("1000")}
        """;

    /// <summary>
    /// Puts a department's dead and held events back in line (all, or the given sequences with the events of the same
    /// persons held behind them), under the department's webhook lock, audited in the same transaction. Returns how many.
    /// </summary>
    public async Task<int> RedriveAsync(Caller caller, string code, IReadOnlyList<long>? sequences, DateTimeOffset now, CancellationToken ct)
    {
        await using var work = await database.BeginAsync(ct);
        await work.LockAsync(DeadLetters.LockName(code), shared: false, ct);
        var connection = work.Connection;
        var transaction = work.Transaction;
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
                $"SELECT DISTINCT person_id FROM deliveries WHERE department_code = @code AND webhook_state = 'dead' AND {database.Dialect.In("sequence", "sequences")}",
                new { code, sequences = sequences.ToArray() }, transaction, cancellationToken: ct))).ToArray();
            count = persons.Length == 0 ? 0 : await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE deliveries SET webhook_state = 'pending', webhook_attempts = 0 WHERE department_code = @code AND webhook_state IN ('dead', 'held') AND {database.Dialect.In("person_id", "persons")}",
                new { code, persons }, transaction, cancellationToken: ct));
        }

        await ExchangeAuditStore.WriteAsync(work, caller, now, "webhook.redriven", code, after: new { sequences, count }, ct: ct);
        await work.CommitAsync(ct);
        return count;
    }

    private sealed class DeadLetterRow
    {
        public long Sequence { get; init; }
        public long RegistrySequence { get; init; }
        public Guid PersonId { get; init; }
        public string State { get; init; } = "";
        public int Attempts { get; init; }
        public string? Error { get; init; }
        public DateTimeOffset? LastAttemptAt { get; init; }
    }

    internal static string ReadSql(SqlDialect dialect) =>
        $"SELECT sequence AS Sequence, event_type AS Type, event AS Event FROM deliveries WHERE department_code = @code AND sequence > @after ORDER BY sequence{dialect.Limit("@limit")}";
}

/// <summary>An event waiting for its department's queue.</summary>
public sealed record AmqpPending(long Sequence, string Type, string Event, string? TraceParent, string? TraceState);

public sealed class FeedEntry
{
    public long Sequence { get; init; }
    public string Type { get; init; } = "";
    public string Event { get; init; } = "";
}
