using System.Security.Claims;
using PopInfo.Collection.Accounts;
using PopInfo.ServiceDefaults.Audit;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Collection.Audit;

/// <summary>
/// The desk's source of the auditors' audit search (docs/collection.md): its audit trail (<c>audit_log</c>, kind
/// <c>desk</c>; the SQL in <see cref="DeskAuditStore"/>) — who did what to which form, in which community. An entry is a person's when its target is one of the
/// forms about the person (the person the form changes, or the person the register made of it) or names the person's id
/// (a look-up, a search). The desk knows persons by id only: an identity number alone finds nothing here (the monitoring
/// service asks with the id the registry answered). The search is audited (<c>audit.search</c>, the auditor named).
/// </summary>
public sealed class DeskAuditSearch([FromKeyedServices(CollectionModule.Name)] ServiceDatabase database, DeskAuditStore store, AuditLog audit)
    : IAuditSearchSource
{
    public const string Action = "audit.search";

    public async Task<AuditSearchPage> SearchAsync(AuditSearchCriteria criteria, ClaimsPrincipal user, string? remoteAddress, CancellationToken ct)
    {
        var personId = criteria.PersonId;
        IReadOnlyList<AuditSearchEntry> entries = [];
        if (personId is not null || criteria.IdNumber is null)
        {
            entries = await store.PageAsync(criteria, personId, ct);
        }

        await audit.WriteAsync(new DeskUser(criteria.AuditedAs, "auditor", null, null, remoteAddress), Action, personId?.ToString("D"), null, "ok",
            criteria.IdNumber is not null && personId is null ? "by identity number: not known here" : $"{entries.Count} entries", ct: ct);
        return new(CollectionModule.Name, personId, null, entries, AuditSearchStore.Next(entries, criteria.Limit));
    }

    public Task<AuditChainsAnswer> VerifyChainsAsync(CancellationToken ct) => AuditChains.VerifyAsync(CollectionModule.Name, database, [AuditLog.Table], ct);
}
