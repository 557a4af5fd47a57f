namespace PopInfo.Collection.Days;

/// <summary>
/// Counts of one community's forms of one day, all of them and by form type. Forms = drafts + pending + accepted + rejected + withdrawn.
/// Submitted: the forms sent to the registry at least once, whatever their state now (a rejected form withdrawn was submitted).
/// </summary>
public sealed record FormCounts(int Forms, int Drafts, int Pending, int Accepted, int Rejected, int Withdrawn, int Late, int Submitted);

public sealed record FormTypeCounts(string FormType, FormCounts Counts);

/// <summary>
/// The daily report of a community (一日一清): the day is cleared when no form is a draft, waiting for
/// the registry, or rejected and not yet dealt with (resubmitted or withdrawn).
/// </summary>
public sealed record CommunityDayReport(
    string CommunityCode,
    string CommunityName,
    string Day,
    bool Cleared,
    DateTimeOffset? ClosedAt,
    string? ClosedBy,
    FormCounts Totals,
    IReadOnlyList<FormTypeCounts> ByType,
    IReadOnlyList<Guid> Blocking);

/// <summary>The daily report of a street: each of its communities, and which have not cleared or closed.</summary>
public sealed record StreetDayReport(
    string StreetCode,
    string StreetName,
    string Day,
    FormCounts Totals,
    IReadOnlyList<CommunityDayReport> Communities,
    IReadOnlyList<string> NotCleared,
    IReadOnlyList<string> NotClosed);
