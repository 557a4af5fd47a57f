using System.Data.Common;
using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Exchange.Inbound;

/// <summary>
/// Reads and writes the records departments push (<c>inbound_records</c>, read as <see cref="InboundRow"/>): a push's
/// records stored in its work, the review's list, and the administrator's decision on a held record.
/// </summary>
public sealed class InboundStore([FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database)
{
    private const string Columns =
        """
        id AS Id, department_code AS DepartmentCode, record_id AS RecordId, kind AS Kind, channel AS Channel, payload AS Payload,
        state AS State, person_id AS PersonId, match_kind AS MatchKind, command_type AS CommandType, command AS Command,
        reason_rule AS ReasonRule, reason_field AS ReasonField, reason AS Reason, refusal AS Refusal, answer AS Answer,
        received_at AS ReceivedAt, sent_at AS SentAt, answered_at AS AnsweredAt, decision AS Decision, decision_reason AS DecisionReason,
        decided_at AS DecidedAt, decided_by AS DecidedBy
        """;

    public ServiceDatabase Database => database;

    /// <summary>The department's records of these ids, by record id.</summary>
    public async Task<Dictionary<string, InboundRow>> ExistingAsync(string departmentCode, string[] recordIds, CancellationToken ct)
    {
        if (recordIds.Length == 0)
        {
            return [];
        }

        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = new List<InboundRow>();
        // SQLite allows so many parameters per statement; a push has at most 1000 records.
        foreach (var chunk in recordIds.Chunk(500))
        {
            rows.AddRange(await connection.QueryAsync<InboundRow>(new CommandDefinition(
                $"SELECT {Columns} FROM inbound_records WHERE department_code = @departmentCode AND {database.Dialect.In("record_id", "chunk")}",
                new { departmentCode, chunk }, cancellationToken: ct)));
        }

        return rows.ToDictionary(r => r.RecordId, StringComparer.Ordinal);
    }

    /// <summary>A department's record by its own reference.</summary>
    public async Task<InboundRow?> GetAsync(string departmentCode, string recordId, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await GetAsync(connection, null, departmentCode, recordId, ct);
    }

    /// <summary>A department's record by its own reference, read in the work's transaction.</summary>
    public static Task<InboundRow?> GetAsync(UnitOfWork work, string departmentCode, string recordId, CancellationToken ct) =>
        GetAsync(work.Connection, work.Transaction, departmentCode, recordId, ct);

    private static Task<InboundRow?> GetAsync(DbConnection connection, DbTransaction? transaction, string departmentCode, string recordId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<InboundRow>(new CommandDefinition(
            $"SELECT {Columns} FROM inbound_records WHERE department_code = @departmentCode AND record_id = @recordId",
            new { departmentCode, recordId }, transaction, cancellationToken: ct));

    /// <summary>Held records (of one department, when given), oldest first.</summary>
    public async Task<IReadOnlyList<InboundRow>> HeldAsync(string? departmentCode, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<InboundRow>(new CommandDefinition(ReviewsSql(database.Dialect), new { departmentCode, limit }, cancellationToken: ct))];
    }

    internal static string ReviewsSql(SqlDialect dialect) =>
        $"""
        SELECT {Columns} FROM inbound_records
        WHERE state = 'held' AND (@departmentCode IS NULL OR department_code = @departmentCode)
        ORDER BY received_at, id{dialect.Limit("@limit")}
        """;

    internal static string LockRecordSql(SqlDialect dialect) =>
        $"SELECT {Columns} FROM inbound_records{dialect.UpdateLockHint} WHERE id = @id{dialect.ForUpdate}";

    /// <summary>The record, locked until the work's transaction ends (a decision on it waits for another's).</summary>
    public static Task<InboundRow?> LockAsync(UnitOfWork work, Guid id, CancellationToken ct) =>
        work.Connection.QuerySingleOrDefaultAsync<InboundRow>(new CommandDefinition(
            LockRecordSql(work.Dialect), new { id }, work.Transaction, cancellationToken: ct));

    /// <summary>The record, read in the work's transaction.</summary>
    public static Task<InboundRow> GetByIdAsync(UnitOfWork work, Guid id, CancellationToken ct) =>
        work.Connection.QuerySingleAsync<InboundRow>(new CommandDefinition(
            $"SELECT {Columns} FROM inbound_records WHERE id = @id", new { id }, work.Transaction, cancellationToken: ct));

    /// <summary>The administrator's decision on a held record (its new state); 0 when the record is no longer held.</summary>
    public static Task<int> DecideAsync(UnitOfWork work, Guid id, string state, string decision, string? reason, DateTimeOffset now, string by, CancellationToken ct) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE inbound_records SET state = @state, decision = @decision, decision_reason = @reason, decided_at = @now, decided_by = @by
            WHERE id = @id AND state = 'held'
            """,
            new { id, state, decision, reason, now, by }, work.Transaction, cancellationToken: ct));

    /// <summary>
    /// Stores a record in the work's transaction, after removing the refusal stored under its record id when
    /// <paramref name="replacesRefusal"/>. False when the department's record id is taken (by a push at the same moment).
    /// </summary>
    public static async Task<bool> InsertAsync(UnitOfWork work, NewRecord record, bool replacesRefusal, CancellationToken ct)
    {
        var row = new
        {
            id = record.Id,
            departmentCode = record.DepartmentCode,
            recordId = record.RecordId,
            kind = record.Kind,
            channel = record.Channel,
            payload = record.Payload,
            state = record.State,
            personId = record.PersonId,
            matchKind = record.MatchKind,
            commandType = record.CommandType,
            command = record.Command,
            reasonRule = record.ReasonRule,
            reasonField = record.ReasonField,
            reason = record.Reason,
            refusal = record.Refusal,
            now = record.ReceivedAt,
        };
        if (replacesRefusal)
        {
            await work.Connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM inbound_records WHERE department_code = @departmentCode AND record_id = @recordId AND state = 'refused'",
                row, work.Transaction, cancellationToken: ct));
        }

        return await work.Connection.ExecuteAsync(new CommandDefinition(InsertSql(work.Dialect), row, work.Transaction, cancellationToken: ct)) == 1;
    }

    // An id already taken stays as it is.
    internal static string InsertSql(SqlDialect dialect) => dialect.Upsert("inbound_records",
        "id, department_code, record_id, kind, channel, payload, state, person_id, match_kind, command_type, command, reason_rule, reason_field, reason, refusal, received_at",
        "(@id, @departmentCode, @recordId, @kind, @channel, @payload, @state, @personId, @matchKind, @commandType, @command, @reasonRule, @reasonField, @reason, @refusal, @now)",
        keys: "department_code, record_id");

    /// <summary>A record to store: taken (queued or held, with its command) or, over AMQP, refused (its problem, not its content).</summary>
    public sealed record NewRecord(
        Guid Id, string DepartmentCode, string RecordId, string Kind, string Channel, string? Payload, string State, Guid? PersonId, string? MatchKind,
        string? CommandType, string? Command, string? ReasonRule, string? ReasonField, string? Reason, string? Refusal, DateTimeOffset ReceivedAt);
}
