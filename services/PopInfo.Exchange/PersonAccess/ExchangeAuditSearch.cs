using System.Security.Claims;
using PopInfo.Exchange.Access;
using PopInfo.Exchange.Departments;
using PopInfo.ServiceDefaults.Audit;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Exchange.PersonAccess;

/// <summary>
/// The exchange's source of the auditors' audit search (docs/exchange.md): its audit trail (<c>audit_log</c>, kind
/// <c>audit</c>: administration, departments' feed reads, auditors' questions) and, for a person, the person's events made
/// for departments (<c>deliveries</c>, kind <c>delivery</c>, with the subscription's purpose). A person's audit entries are
/// the feed reads that returned one of the person's events and the questions that named the person. The search is
/// audited (<c>audit.search</c>, the auditor named) before the answer leaves.
/// </summary>
public sealed class ExchangeAuditSearch(PersonDeliveryStore store, TimeProvider clock) : IAuditSearchSource
{
    public const string Action = "audit.search";

    // Every audit entry in the period (the audit search's columns, AuditSearchStore): the same SQL on every product.
    private const string Entries =
        """
        SELECT a.at, 'audit' AS kind, '' AS part, a.id, a.actor, NULL AS client, a.department_code AS unit, a.action, a.department_code AS target,
               NULL AS purpose, NULL AS reason, NULL AS person_id, NULL AS outcome
        FROM audit_log a WHERE a.at >= @from AND a.at < @to
        """;

    /// <summary>One person's (<c>@personId</c>) audit entries and deliveries in the period.</summary>
    internal static string PersonEntriesSql(SqlDialect dialect) =>
        $"""
         SELECT a.at, 'audit' AS kind, '' AS part, a.id, a.actor, NULL AS client, a.department_code AS unit, a.action, a.department_code AS target,
                NULL AS purpose, NULL AS reason, @personText AS person_id, NULL AS outcome
         FROM audit_log a WHERE a.at >= @from AND a.at < @to
           AND ((a.action = 'feed.read' AND EXISTS (SELECT 1 FROM deliveries x WHERE x.person_id = @personId AND x.department_code = a.department_code
                   AND {dialect.JsonInteger("a.after", "first")} <= x.sequence AND {dialect.JsonInteger("a.after", "last")} >= x.sequence))
                OR a.after LIKE @personLike)
         UNION ALL
         SELECT x.created_at AS at, 'delivery' AS kind, x.department_code AS part, x.sequence AS id, x.department_code AS actor,
                {dialect.Concat("'dept-'", "x.department_code")} AS client, x.department_code AS unit, {dialect.Concat("'delivery.'", "x.event_type")} AS action,
                x.department_code AS target, s.purpose, NULL AS reason, {dialect.UuidText("x.person_id")} AS person_id, x.webhook_state AS outcome
         FROM deliveries x LEFT JOIN subscriptions s ON s.id = x.subscription_id
         WHERE x.person_id = @personId AND x.created_at >= @from AND x.created_at < @to
         """;

    public async Task<AuditSearchPage> SearchAsync(AuditSearchCriteria criteria, ClaimsPrincipal user, string? remoteAddress, CancellationToken ct)
    {
        var database = store.Database;
        var dialect = database.Dialect;
        var personId = criteria.PersonId;
        var entries = personId is null ? Entries : PersonEntriesSql(dialect);

        IReadOnlyList<AuditSearchEntry> found = [];
        await using var connection = await database.OpenConnectionAsync(ct);
        if (personId is not null || criteria.IdNumber is null)
        {
            found = await AuditSearchStore.PageAsync(connection, database.Dialect, entries, criteria, personId, ct);
        }

        // The person by id in "after", as the access report's question records it: later searches for the person find this one.
        await ExchangeAudit.WriteAsync(dialect, connection, null, new Caller(false, null, remoteAddress, criteria.AuditedAs), clock.GetUtcNow(), Action, null,
            after: new { personId, byIdNumber = criteria.IdNumber is not null, entries = found.Count }, ct: ct);
        return new(ExchangeModule.Name, personId, null, found, AuditSearchStore.Next(found, criteria.Limit));
    }

    public Task<AuditChainsAnswer> VerifyChainsAsync(CancellationToken ct) =>
        AuditChains.VerifyAsync(ExchangeModule.Name, store.Database, [ExchangeAudit.Table], ct);
}
