using System.Security.Claims;
using PopInfo.Domain.Identity;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Audit;

namespace PopInfo.Registry.AuditSearch;

/// <summary>
/// The registry's source of the auditors' audit search (docs/registry.md): who read whom (the read audit) and who changed
/// whom (the change log's source and actor). The search is itself a read, audited in <c>read_audit</c> (action
/// <c>audit.search</c>, the auditor named) before the answer leaves. The register has no hash-chained audit table: its
/// chain answer lists none.
/// </summary>
public sealed class RegistryAuditSearch(RegistryAuditStore store, ReadAuditStore audit) : IAuditSearchSource
{
    public const string Action = "audit.search";

    public async Task<AuditSearchPage> SearchAsync(AuditSearchCriteria criteria, ClaimsPrincipal user, string? remoteAddress, CancellationToken ct)
    {
        var person = criteria.PersonId is null && criteria.IdNumber is null ? null : await store.PersonAsync(criteria.PersonId, criteria.IdNumber, ct);
        if ((criteria.PersonId is not null || criteria.IdNumber is not null) && person is null)
        {
            await audit.WriteAsync(user, Action, [], $"for {criteria.AuditedAs}; no such person", ct);
            return new(RegistryModule.Name, null, null, [], null);
        }

        var entries = await store.PageAsync(criteria, person?.Id, ct);
        await audit.WriteAsync(user, Action, person is { } p ? [p.Id] : [], $"for {criteria.AuditedAs}; {entries.Count} entries", ct);
        return new(RegistryModule.Name, person?.Id, person is { } found ? IdentityNumber.Mask(found.IdNumber) : null, entries,
            AuditSearchStore.Next(entries, criteria.Limit));
    }

    public Task<AuditChainsAnswer> VerifyChainsAsync(CancellationToken ct) => AuditChains.VerifyAsync(RegistryModule.Name, store.Database, [], ct);
}
