namespace PopInfo.Domain.Sharing;

/// <summary>
/// Why a department reads a person: every request names one of these codes, and a grant lists the ones it allows. A
/// purpose marked <see cref="Purpose.WithheldFromPerson"/> (an open criminal case, state security) appears in a person's
/// access report as withheld — that something was read, not by whom or why — as the law keeps it from them; the
/// service's configuration can add to that list.
/// </summary>
public static class SharingPurposes
{
    public static IReadOnlyList<Purpose> All { get; } =
    [
        new("school-enrolment", "入学资格审核", "checking a child's eligibility for school enrolment", false),
        new("medical-identity", "就医身份核验", "confirming a patient's identity", false),
        new("social-insurance", "社会保险经办", "social insurance registration, contributions and benefits", false),
        new("social-assistance", "社会救助审核", "means-tested assistance and subsistence allowances", false),
        new("housing-security", "住房保障审核", "eligibility for public and affordable housing", false),
        new("employment-service", "就业服务", "job-seeker registration and employment subsidies", false),
        new("civil-registration", "婚姻登记", "marriage and divorce registration", false),
        new("tax-administration", "税收征管", "identifying taxpayers", false),
        new("elderly-care", "养老服务", "old-age allowances and elder-care services", false),
        new("public-security-administration", "公安行政管理", "identity cards, residence permits and household registration work", false),
        new("criminal-investigation", "刑事案件侦查", "an open criminal investigation", true),
        new("state-security", "国家安全", "state security", true),
    ];

    private static readonly Dictionary<string, Purpose> ByCode = All.ToDictionary(p => p.Code, StringComparer.Ordinal);

    public static bool IsKnown(string? code) => code is not null && ByCode.ContainsKey(code);

    public static Purpose? Find(string? code) => code is not null && ByCode.TryGetValue(code, out var p) ? p : null;

    /// <summary>
    /// The purpose codes a person's access report withholds: those marked <see cref="Purpose.WithheldFromPerson"/> and the
    /// <paramref name="configured"/> ones (blank entries ignored, spaces trimmed; codes compared exactly).
    /// </summary>
    public static IReadOnlySet<string> Withheld(IEnumerable<string?> configured) =>
        All.Where(p => p.WithheldFromPerson).Select(p => p.Code)
            .Concat(configured.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c!.Trim()))
            .ToHashSet(StringComparer.Ordinal);
}

/// <summary>A purpose code with its Chinese and English names, and whether it is withheld from the person's access report.</summary>
public sealed record Purpose(string Code, string NameZh, string NameEn, bool WithheldFromPerson);
