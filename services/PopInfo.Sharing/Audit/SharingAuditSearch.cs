using System.Security.Claims;
using PopInfo.ServiceDefaults.Audit;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Sharing.Operations;
using PopInfo.Sharing.People;

namespace PopInfo.Sharing.Audit;

/// <summary>
/// The sharing service's source of the auditors' audit search (docs/sharing.md): its access audit (<c>access_audit</c>, kind
/// <c>access</c>) — which department (client) and end user verified or looked up whom, under which purpose and case
/// reference, with what outcome. An identity number is found in the service's copy of the register. The search is itself
/// in the access audit (operation <c>audit-search</c>, the auditor as end user) before the answer leaves.
/// </summary>
public sealed class SharingAuditSearch(AccessAuditStore store, AccessAudit audit, PeopleStore people, TimeProvider clock) : IAuditSearchSource
{
    public const string Operation = "audit-search";

    public async Task<AuditSearchPage> SearchAsync(AuditSearchCriteria criteria, ClaimsPrincipal user, string? remoteAddress, CancellationToken ct)
    {
        var personId = criteria.PersonId;
        if (personId is null && criteria.IdNumber is { } idNumber)
        {
            personId = (await people.ByIdNumberAsync(people.Reads, idNumber, record: false, ct)).OrderByDescending(p => p.Sequence ?? 0).FirstOrDefault()?.Person_Id;
        }

        IReadOnlyList<AuditSearchEntry> entries = [];
        if (personId is not null || criteria.IdNumber is null)
        {
            entries = await store.SearchAsync(criteria, personId, ct);
        }

        await audit.WriteAsync([new AccessAuditEntry(clock.GetUtcNow(), Guid.NewGuid(), TokenCaller.From(user).Source, criteria.Auditor, Operation, Operation,
            criteria.AuditedAs, personId, [], personId is null && criteria.IdNumber is not null ? Outcomes.NotFound : Outcomes.Returned, null)], null, ct);
        return new(SharingModule.Name, personId, null, entries, AuditSearchStore.Next(entries, criteria.Limit));
    }

    public Task<AuditChainsAnswer> VerifyChainsAsync(CancellationToken ct) =>
        store.VerifyChainsAsync(ct);
}
