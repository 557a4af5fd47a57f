using PopInfo.ServiceDefaults.Audit;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Collection.Audit;

/// <summary>
/// The SQL of the desk's audit search (<see cref="DeskAuditSearch"/>): the entries of its trail (<c>audit_log</c>, kind
/// <c>desk</c>) in the audit search's columns, every entry of the period or one person's, paged by the search's shared
/// SQL (<see cref="AuditSearchStore"/>). An entry is a person's when its target is one of the forms about the person (the
/// person the form changes, or the person the register made of it) or names the person's id.
/// </summary>
public sealed class DeskAuditStore([FromKeyedServices(CollectionModule.Name)] ServiceDatabase database)
{
    /// <summary>Every entry of the trail in the period (the audit search's columns, <see cref="AuditSearchStore"/>).</summary>
    internal static string EntriesSql(SqlDialect dialect) => Entries(dialect, ofPerson: false);

    /// <summary>The entries of one person (<c>@personId</c>) in the period.</summary>
    internal static string PersonEntriesSql(SqlDialect dialect) => Entries(dialect, ofPerson: true);

    private static string Entries(SqlDialect dialect, bool ofPerson) =>
        $"""
         SELECT a.at, 'desk' AS kind, '' AS part, a.id, a.actor, NULL AS client, a.community_code AS unit, a.action, a.target, NULL AS purpose,
                a.detail AS reason, {(ofPerson ? "@personText" : "NULL")} AS person_id, a.outcome
         FROM audit_log a WHERE a.at >= @from AND a.at < @to{(ofPerson ? OfPerson(dialect) : "")}
         """;

    private static string OfPerson(SqlDialect dialect) =>
        $"""
         AND (a.target IN (SELECT {dialect.UuidText("f.id")} FROM forms f WHERE f.person_id = @personId OR f.registry_person_id = @personId)
              OR a.target LIKE @personLike)
        """;

    /// <summary>A page of the entries the criteria ask for — the person's when <paramref name="personId"/> is given — on a connection of its own.</summary>
    public Task<IReadOnlyList<AuditSearchEntry>> PageAsync(AuditSearchCriteria criteria, Guid? personId, CancellationToken ct) =>
        AuditSearchStore.PageAsync(database, personId is null ? EntriesSql(database.Dialect) : PersonEntriesSql(database.Dialect), criteria, personId, ct);
}
