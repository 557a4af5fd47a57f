using PopInfo.ServiceDefaults.Audit;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Exchange.PersonAccess;

/// <summary>
/// The exchange's entries for the auditors' audit search (<see cref="ExchangeAuditSearch"/>): its audit trail
/// (<c>audit_log</c>, kind <c>audit</c>) and, for a person, the person's events made for departments (<c>deliveries</c>,
/// kind <c>delivery</c>, with the subscription's purpose), paged by the shared <see cref="AuditSearchStore"/>.
/// </summary>
public sealed class ExchangeAuditSearchStore([FromKeyedServices(ExchangeModule.Name)] ServiceDatabase database)
{
    public ServiceDatabase Database => database;

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

    /// <summary>One page of the entries (of the person, when <paramref name="personId"/> is given), on the work's connection.</summary>
    public static Task<IReadOnlyList<AuditSearchEntry>> PageAsync(UnitOfWork work, AuditSearchCriteria criteria, Guid? personId, CancellationToken ct) =>
        AuditSearchStore.PageAsync(work.Connection, work.Dialect, personId is null ? Entries : PersonEntriesSql(work.Dialect), criteria, personId, ct);
}
