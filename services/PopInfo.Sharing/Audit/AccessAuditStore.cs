using Dapper;
using PopInfo.ServiceDefaults.Audit;
using PopInfo.ServiceDefaults.Data;
using PopInfo.Sharing.Grants;

namespace PopInfo.Sharing.Audit;

/// <summary>
/// The access audit, <c>access_audit</c>: a hash chain (docs/database-roles.md) the runtime role may only add to and read.
/// The store of its SQL: the batch append (through <see cref="AuditTable.AppendManyAsync"/>) with the departments' counts
/// (<see cref="QuotaStore.WriteUsageAsync"/>) in the same transaction, the reads, and the service's audit search.
/// </summary>
public sealed class AccessAuditStore([FromKeyedServices(SharingModule.Name)] ServiceDatabase database, QuotaStore quotas)
{
    /// <summary>The sharing service's entries of the auditors' audit search (<see cref="AuditSearchStore"/>'s columns) in the period.</summary>
    internal static string SearchEntriesSql(SqlDialect dialect) =>
        $"""
         SELECT a.at, 'access' AS kind, '' AS part, a.id, COALESCE(a.end_user, a.client_id) AS actor, a.client_id AS client,
                CASE WHEN a.client_id LIKE 'dept-%' THEN {dialect.Substring("a.client_id", 6)} END AS unit, a.operation AS action, NULL AS target,
                a.purpose, a.case_reference AS reason, {dialect.UuidText("a.person_id")} AS person_id, a.outcome
         FROM access_audit a WHERE a.at >= @from AND a.at < @to
         """;

    /// <summary>The same, of one person (<c>@personId</c>).</summary>
    internal static string PersonSearchEntriesSql(SqlDialect dialect) => SearchEntriesSql(dialect) + " AND a.person_id = @personId";

    public static readonly AuditTable Table = new("access_audit",
        new("at", AuditValue.Time), new("request_id", AuditValue.Uuid), new("client_id"), new("end_user"), new("operation"), new("purpose"),
        new("case_reference"), new("person_id", AuditValue.Uuid), new("fields"), new("outcome"), new("as_of_sequence"));

    public ServiceDatabase Database => database;

    /// <summary>
    /// Appends the rows, in order, and writes the departments' <paramref name="counts"/> in one transaction of its own;
    /// committed when this returns, with the counts' new totals. <paramref name="beforeWrite"/> (tests only) runs in the
    /// transaction before the rows go in.
    /// </summary>
    internal async Task<UsageTotals> AppendCommittedAsync(IReadOnlyList<AccessAuditEntry> entries, Func<IReadOnlyList<AccessAuditEntry>, CancellationToken, Task>? beforeWrite,
        UsageWrite counts, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (beforeWrite is not null)
        {
            await beforeWrite(entries, ct);
        }

        if (entries.Count > 0)
        {
            await Table.AppendManyAsync(connection, transaction, database.Dialect, [.. entries.Select(Values)], ct);
        }

        var totals = await quotas.WriteUsageAsync(connection, transaction, counts, ct);
        await transaction.CommitAsync(ct);
        return totals;
    }

    /// <summary>Every row of a request, in order (for the tests and the person's access report).</summary>
    public async Task<IReadOnlyList<AccessAuditRow>> OfRequestAsync(Guid requestId, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<AccessAuditRow>(new CommandDefinition(
            $"SELECT {RowColumns} FROM access_audit WHERE request_id = @requestId ORDER BY id", new { requestId }, cancellationToken: ct))];
    }

    /// <summary>Every row naming a person, oldest first (the person's access report).</summary>
    public async Task<IReadOnlyList<AccessAuditRow>> OfPersonAsync(Guid personId, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<AccessAuditRow>(new CommandDefinition(
            $"SELECT {RowColumns} FROM access_audit WHERE person_id = @personId ORDER BY id", new { personId }, cancellationToken: ct))];
    }

    /// <summary>
    /// A page of the audit search's entries (<see cref="AuditSearchStore"/>), of one person when <paramref name="personId"/> is given.
    /// </summary>
    public Task<IReadOnlyList<AuditSearchEntry>> SearchAsync(AuditSearchCriteria criteria, Guid? personId, CancellationToken ct) =>
        AuditSearchStore.PageAsync(database, personId is null ? SearchEntriesSql(database.Dialect) : PersonSearchEntriesSql(database.Dialect), criteria, personId, ct);

    /// <summary>Verifies the service's chained tables: the grants' change trail and the access audit (the audit search's check).</summary>
    public Task<AuditChainsAnswer> VerifyChainsAsync(CancellationToken ct) =>
        AuditChains.VerifyAsync(SharingModule.Name, database, [GrantChanges.Table, Table], ct);

    /// <summary>Verifies the chain (what <c>popinfo-audit verify</c> does).</summary>
    public async Task<AuditChainReport> VerifyAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await Table.VerifyAsync(connection, ct);
    }

    private const string RowColumns =
        "id AS Id, at AS At, request_id AS RequestId, client_id AS ClientId, end_user AS EndUser, operation AS Operation, purpose AS Purpose, " +
        "case_reference AS CaseReference, person_id AS PersonId, fields AS Fields, outcome AS Outcome, as_of_sequence AS AsOfSequence";

    public static IReadOnlyDictionary<string, object?> Values(AccessAuditEntry e) => new Dictionary<string, object?>
    {
        ["at"] = e.At,
        ["request_id"] = e.RequestId,
        ["client_id"] = e.ClientId,
        ["end_user"] = e.EndUser,
        ["operation"] = e.Operation,
        ["purpose"] = e.Purpose,
        ["case_reference"] = e.CaseReference,
        ["person_id"] = e.PersonId,
        ["fields"] = e.Fields.Count == 0 ? null : string.Join(',', e.Fields),
        ["outcome"] = e.Outcome,
        ["as_of_sequence"] = e.AsOfSequence,
    };
}

/// <summary>An access audit row as stored.</summary>
public sealed class AccessAuditRow
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public Guid RequestId { get; init; }
    public string ClientId { get; init; } = "";
    public string? EndUser { get; init; }
    public string Operation { get; init; } = "";
    public string Purpose { get; init; } = "";
    public string CaseReference { get; init; } = "";
    public Guid? PersonId { get; init; }
    public string? Fields { get; init; }
    public string Outcome { get; init; } = "";
    public long? AsOfSequence { get; init; }
}
