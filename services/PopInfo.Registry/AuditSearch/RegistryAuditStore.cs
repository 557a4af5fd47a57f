using Dapper;
using PopInfo.ServiceDefaults.Audit;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Registry.AuditSearch;

/// <summary>
/// The registry's audit entries for the audit search: its reads (<c>read_audit</c>, kind <c>read</c>) and its changes
/// (<c>change_log</c>, kind <c>change</c>: who sent the command — the source and the actor it named).
/// </summary>
public sealed class RegistryAuditStore([FromKeyedServices(RegistryModule.Name)] ServiceDatabase database)
{
    public ServiceDatabase Database => database;

    /// <summary>The person's id and identity number, by either (null when no such person is in the register).</summary>
    public async Task<(Guid Id, string IdNumber)?> PersonAsync(Guid? personId, string? idNumber, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<PersonRow>(new CommandDefinition(
            personId is null ? "SELECT id AS Id, id_number AS IdNumber FROM persons WHERE id_number = @idNumber"
                : "SELECT id AS Id, id_number AS IdNumber FROM persons WHERE id = @personId",
            new { personId, idNumber }, cancellationToken: ct));
        return row is null ? null : (row.Id, row.IdNumber);
    }

    public Task<IReadOnlyList<AuditSearchEntry>> PageAsync(AuditSearchCriteria criteria, Guid? personId, CancellationToken ct) =>
        AuditSearchStore.PageAsync(database, personId is null ? EntriesSql(database.Dialect) : PersonEntriesSql(database.Dialect), criteria, personId, ct);

    /// <summary>Every read and change in the period (the audit search's columns, <see cref="AuditSearchStore"/>).</summary>
    internal static string EntriesSql(SqlDialect dialect) => Reads + " UNION ALL " + Changes(dialect, ofPerson: false);

    /// <summary>One person's (<c>@personId</c>) reads and changes in the period.</summary>
    internal static string PersonEntriesSql(SqlDialect dialect) => PersonReads + " UNION ALL " + Changes(dialect, ofPerson: true);

    private const string Reads =
        """
        SELECT a.at, 'read' AS kind, '' AS part, a.id, a.subject AS actor, a.client, NULL AS unit, a.action, NULL AS target, NULL AS purpose,
               a.detail AS reason, CASE WHEN a.person_ids NOT LIKE '%,%' THEN a.person_ids END AS person_id, NULL AS outcome
        FROM read_audit a WHERE a.at >= @from AND a.at < @to
        """;

    // A read is the person's when it returned them (read_audit_persons) or when a feed read's stretch held one of their changes.
    private const string PersonReads =
        """
        SELECT a.at, 'read' AS kind, '' AS part, a.id, a.subject AS actor, a.client, NULL AS unit, a.action, NULL AS target, NULL AS purpose,
               a.detail AS reason, @personText AS person_id, NULL AS outcome
        FROM read_audit a WHERE a.at >= @from AND a.at < @to
          AND (a.id IN (SELECT p.audit_id FROM read_audit_persons p WHERE p.person_id = @personId)
               OR EXISTS (SELECT 1 FROM change_log c WHERE c.person_id = @personId AND a.last_sequence >= c.sequence AND a.first_sequence <= c.sequence))
        """;

    // A change: who sent the command (the source and the actor it named).
    private static string Changes(SqlDialect dialect, bool ofPerson)
    {
        var source = dialect.JsonText("c.event", "source");
        return $"""
                SELECT c.recorded_at AS at, 'change' AS kind, '' AS part, c.sequence AS id, COALESCE({dialect.JsonText("c.event", "actor")}, {source}) AS actor,
                       {source} AS client, NULL AS unit, {dialect.Concat("'change.'", "c.change_type")} AS action, NULL AS target, NULL AS purpose,
                       {dialect.JsonText("c.event", "correlationId")} AS reason, {dialect.UuidText("c.person_id")} AS person_id, NULL AS outcome
                FROM change_log c WHERE c.recorded_at >= @from AND c.recorded_at < @to{(ofPerson ? " AND c.person_id = @personId" : "")}
                """;
    }

    private sealed class PersonRow
    {
        public Guid Id { get; init; }
        public string IdNumber { get; init; } = "";
    }
}
