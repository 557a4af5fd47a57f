using PopInfo.Domain.Records;
using PopInfo.Domain.Regions;

namespace PopInfo.Domain.Sharing;

/// <summary>
/// What one department may do at the sharing service: which operations, which fields (each plain or masked), people of
/// which regions, for which purposes, how fast and how much a day, and whether a verification may tell an unknown
/// number apart. Administered at the sharing service; the department itself (its client, its suspension) lives in the
/// identity provider.
/// </summary>
public sealed record SharingGrant(
    string Department,
    IReadOnlySet<string> Operations,
    IReadOnlyDictionary<string, string> Fields,
    IReadOnlyList<string> Regions,
    IReadOnlySet<string> Purposes,
    int RequestsPerMinute,
    int DailyQuota,
    bool MayTellNotFound = false)
{
    /// <summary>The rules a grant itself must keep (checked when an administrator saves one).</summary>
    public IReadOnlyList<GrantViolation> Problems(RegionCatalogue regions)
    {
        var problems = new List<GrantViolation>();
        foreach (var operation in Operations.Where(o => !SharingOperations.All.Contains(o)))
        {
            problems.Add(new("operations", GrantRules.OperationUnknown, $"'{operation}' is not an operation ({string.Join(", ", SharingOperations.All)})."));
        }

        foreach (var (field, mask) in Fields)
        {
            if (!PersonFields.All.Contains(field))
            {
                problems.Add(new("fields", GrantRules.FieldUnknown, $"'{field}' is not a person field."));
            }
            else if (!DisplayMasks.Kinds.Contains(mask) || (mask == DisplayMasks.Masked && !DisplayMasks.Maskable.Contains(field)))
            {
                problems.Add(new("fields", GrantRules.MaskUnknown, $"'{field}' cannot be shown '{mask}' (masks exist for {string.Join(", ", DisplayMasks.Maskable.Order(StringComparer.Ordinal))})."));
            }
        }

        foreach (var region in Regions.Where(r => !regions.TryGet(r, out _)))
        {
            problems.Add(new("regions", GrantRules.RegionUnknown, $"'{region}' is not a region of the city."));
        }

        foreach (var purpose in Purposes.Where(p => !SharingPurposes.IsKnown(p)))
        {
            problems.Add(new("purposes", GrantRules.PurposeUnknown, $"'{purpose}' is not a purpose code."));
        }

        if (RequestsPerMinute is < 1 or > 100_000)
        {
            problems.Add(new("requestsPerMinute", GrantRules.LimitRange, "The rate limit is 1 to 100,000 requests a minute."));
        }

        if (DailyQuota is < 1 or > 10_000_000)
        {
            problems.Add(new("dailyQuota", GrantRules.LimitRange, "The daily quota is 1 to 10,000,000 items."));
        }

        return problems;
    }

    /// <summary>Whether this grant allows an operation for a purpose; the first rule it breaks, or null.</summary>
    public GrantViolation? Refusal(string operation, string? purpose)
    {
        if (!Operations.Contains(operation))
        {
            return new("operation", GrantRules.OperationNotGranted, $"The grant of {Department} does not allow '{operation}'.");
        }

        if (purpose is null || !SharingPurposes.IsKnown(purpose))
        {
            return new("purpose", GrantRules.PurposeUnknown, "State the purpose as one of the purpose codes (docs/sharing.md).");
        }

        return Purposes.Contains(purpose)
            ? null
            : new("purpose", GrantRules.PurposeNotGranted, $"The grant of {Department} does not allow the purpose '{purpose}'.");
    }

    /// <summary>Whether a person living (or registered) in <paramref name="regionCode"/> is within the grant's regions.</summary>
    public bool Covers(string? regionCode, RegionCatalogue regions) =>
        regionCode is not null && Regions.Any(r => regions.IsWithin(regionCode, r));

    /// <summary>The granted fields of a record, each as the grant shows it; every other field left out.</summary>
    public IReadOnlyDictionary<string, string?> Project(IReadOnlyDictionary<string, string?> record)
    {
        var shown = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (field, mask) in Fields)
        {
            if (record.TryGetValue(field, out var value))
            {
                shown[field] = DisplayMasks.Apply(field, mask, value);
            }
        }

        return shown;
    }
}

/// <summary>A broken rule: the field it concerns, the rule's name, and a sentence for the department.</summary>
public sealed record GrantViolation(string Field, string Rule, string Message);

/// <summary>The named rules of grants and of requests against them (the <c>rule</c> of a problem answer).</summary>
public static class GrantRules
{
    public const string OperationUnknown = "grant.operation-unknown";
    public const string FieldUnknown = "grant.field-unknown";
    public const string MaskUnknown = "grant.mask-unknown";
    public const string RegionUnknown = "grant.region-unknown";
    public const string LimitRange = "grant.limit-range";
    public const string PurposeUnknown = "purpose.unknown";
    public const string OperationNotGranted = "grant.operation";
    public const string PurposeNotGranted = "grant.purpose";
    public const string RegionNotGranted = "grant.region";
    public const string CaseReference = "request.case-reference";
    public const string NoGrant = "grant.none";
    public const string EndUser = "request.end-user";

    /// <summary>The department's items for the day (China Standard Time) are used up: refused until the next midnight there.</summary>
    public const string DailyQuota = "quota.daily";
}
