using System.Security.Claims;
using PopInfo.Exchange.Access;
using PopInfo.Exchange.Departments;
using PopInfo.ServiceDefaults.Audit;

namespace PopInfo.Exchange.PersonAccess;

/// <summary>
/// The exchange's source of the auditors' audit search (docs/exchange.md): its audit trail (<c>audit_log</c>, kind
/// <c>audit</c>: administration, departments' feed reads, auditors' questions) and, for a person, the person's events made
/// for departments (<c>deliveries</c>, kind <c>delivery</c>, with the subscription's purpose). A person's audit entries are
/// the feed reads that returned one of the person's events and the questions that named the person
/// (<see cref="ExchangeAuditSearchStore"/>). The search is audited (<c>audit.search</c>, the auditor named) before the
/// answer leaves.
/// </summary>
public sealed class ExchangeAuditSearch(ExchangeAuditSearchStore store, TimeProvider clock) : IAuditSearchSource
{
    public const string Action = "audit.search";

    public async Task<AuditSearchPage> SearchAsync(AuditSearchCriteria criteria, ClaimsPrincipal user, string? remoteAddress, CancellationToken ct)
    {
        var personId = criteria.PersonId;

        IReadOnlyList<AuditSearchEntry> found = [];
        // One connection for the page and the search's own audit row (in a transaction of its own).
        await using var work = await store.Database.OpenAsync(ct);
        if (personId is not null || criteria.IdNumber is null)
        {
            found = await ExchangeAuditSearchStore.PageAsync(work, criteria, personId, ct);
        }

        // The person by id in "after", as the access report's question records it: later searches for the person find this one.
        await ExchangeAuditStore.WriteAsync(work, new Caller(false, null, remoteAddress, criteria.AuditedAs), clock.GetUtcNow(), Action, null,
            after: new { personId, byIdNumber = criteria.IdNumber is not null, entries = found.Count }, ct: ct);
        return new(ExchangeModule.Name, personId, null, found, AuditSearchStore.Next(found, criteria.Limit));
    }

    public Task<AuditChainsAnswer> VerifyChainsAsync(CancellationToken ct) =>
        AuditChains.VerifyAsync(ExchangeModule.Name, store.Database, [ExchangeAuditStore.Table], ct);
}
