using System.Security.Claims;
using PopInfo.Collection.Accounts;
using PopInfo.ServiceDefaults.Audit;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Collection.Audit;

/// <summary>
/// The desk's source of the auditors' audit search (docs/collection.md): its audit trail (<c>audit_log</c>, kind
/// <c>desk</c>) — who did what to which form, in which community. An entry is a person's when its target is one of the
/// forms about the person (the person the form changes, or the person the register made of it) or names the person's id
/// (a look-up, a search). The desk knows persons by id only: an identity number alone finds nothing here (the monitoring
/// service asks with the id the registry answered). The search is audited (<c>audit.search</c>, the auditor named).
/// </summary>
public sealed class DeskAuditSearch([FromKeyedServices(CollectionModule.Name)] ServiceDatabase database, AuditLog audit) : IAuditSearchSource
{
    public const string Action = "audit.search";

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

    public async Task<AuditSearchPage> SearchAsync(AuditSearchCriteria criteria, ClaimsPrincipal user, string? remoteAddress, CancellationToken ct)
    {
        var personId = criteria.PersonId;
        IReadOnlyList<AuditSearchEntry> entries = [];
        await using (var connection = await database.OpenConnectionAsync(ct))
        {
            if (personId is not null || criteria.IdNumber is null)
            {
                entries = await AuditSearchStore.PageAsync(connection, database.Dialect, personId is null ? EntriesSql(database.Dialect) : PersonEntriesSql(database.Dialect), criteria, personId, ct);
            }
        }

        await audit.WriteAsync(new DeskUser(criteria.AuditedAs, "auditor", null, null, remoteAddress), Action, personId?.ToString("D"), null, "ok",
            criteria.IdNumber is not null && personId is null ? "by identity number: not known here" : $"{entries.Count} entries", ct: ct);
        return new(CollectionModule.Name, personId, null, entries, AuditSearchStore.Next(entries, criteria.Limit));
    }

    public Task<AuditChainsAnswer> VerifyChainsAsync(CancellationToken ct) => AuditChains.VerifyAsync(CollectionModule.Name, database, [AuditLog.Table], ct);
}
