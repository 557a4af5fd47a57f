using PopInfo.ServiceDefaults.Audit;

namespace PopInfo.Monitoring.Audit;

/// <summary>
/// An auditor's search across the services' audit trails (docs/monitoring.md, "Audit search"); the person only in the body.
/// </summary>
/// <param name="PersonId">Only entries about this person (the register's id); or</param>
/// <param name="IdNumber">the person by identity number (not both; the registry finds the id the other services know).</param>
/// <param name="Actor">Only entries whose actor (user name), client or unit (department or community code) is exactly this.</param>
/// <param name="Action">Only entries of this action (e.g. <c>person.get</c>, <c>form.submit</c>, <c>lookup</c>).</param>
/// <param name="From">Entries at or after this time (required).</param>
/// <param name="To">Entries before this time (required, at most 366 days after <paramref name="From"/>).</param>
/// <param name="Services">Only these sources (default all: registry, collection, exchange, sharing).</param>
/// <param name="After">The <c>next</c> of the page before: the following page.</param>
/// <param name="Limit">At most this many entries (1–500, default 100).</param>
public sealed record AuditSearchBody(
    Guid? PersonId, string? IdNumber, string? Actor, string? Action, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<string>? Services,
    string? After, int? Limit);

/// <summary>
/// A page of the search: entries of every source merged oldest first, each naming its service; how each source answered;
/// <see cref="Complete"/> false when one did not; <see cref="Next"/> the following page (null: nothing more).
/// </summary>
public sealed record AuditSearchAnswer(
    Guid? PersonId, string? MaskedIdNumber, IReadOnlyList<AuditFinding> Entries, IReadOnlyList<AuditSourceState> Sources, bool Complete, string? Next);

/// <summary>One audited event at one service (its fields as <see cref="AuditSearchEntry"/>).</summary>
public sealed record AuditFinding(
    string Service, string Id, DateTimeOffset At, string Actor, string? Client, string? Unit, string Action, string? Target, string? Purpose, string? Reason,
    Guid? PersonId, string? Outcome);

/// <summary>How one source answered: its entries on this page and whether it has more; or why it did not answer (by kind or status).</summary>
public sealed record AuditSourceState(string Service, bool Ok, string? Problem, int Entries, bool More);

/// <summary>Each service's audit chains, verified by the service itself.</summary>
public sealed record AuditChainsReport(DateTimeOffset TakenAt, IReadOnlyList<ServiceChains> Services, bool AllIntact);

/// <summary>One service's chained audit tables (none at the registry), or why it did not answer.</summary>
public sealed record ServiceChains(string Service, bool Answered, string? Problem, IReadOnlyList<AuditChainView> Chains);
