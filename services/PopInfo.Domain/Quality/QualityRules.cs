using PopInfo.Domain.Codes;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;

namespace PopInfo.Domain.Quality;

/// <summary>
/// The register's data-quality rules (docs/data-quality.md): their stable codes, the fields a living person is expected
/// to have, the age limits, and each rule as a pure function. "Today" is the city's date (<see cref="ChinaTime"/>).
/// </summary>
public static class QualityRules
{
    /// <summary>A living person lacks a field that is optional in the record but expected of them.</summary>
    public const string MissingExpected = "quality.missing-expected";

    /// <summary>A living person is older than <see cref="ImplausibleAbove"/> completed years.</summary>
    public const string ImplausibleAge = "quality.implausible-age";

    /// <summary>A living migrant who has not left is past the arrival date plus the expected stay.</summary>
    public const string MigrantOverstay = "quality.migrant-overstay";

    /// <summary>A household with living members of whom none is its head (户主, relationship "02").</summary>
    public const string HouseholdWithoutHead = "quality.household-without-head";

    /// <summary>Living persons of one community with the same name, birth date and sex.</summary>
    public const string DuplicateSuspect = "quality.duplicate-suspect";

    /// <summary>Every rule, in the order they are shown.</summary>
    public static IReadOnlyList<string> All { get; } = [MissingExpected, ImplausibleAge, MigrantOverstay, HouseholdWithoutHead, DuplicateSuspect];

    /// <summary>From this age (completed years) a phone, marital status and education are expected.</summary>
    public const int AdultAge = 18;

    /// <summary>A living person older than this (completed years) is implausible; exactly this age is not.</summary>
    public const int ImplausibleAbove = 110;

    /// <summary>
    /// The fields expected of a registered resident (camelCase, as the record names them): the registered address, which
    /// the record may lack (its region code is required). The residence address is required of everyone living, so it is
    /// never missing.
    /// </summary>
    public static IReadOnlyList<string> ExpectedOfRegistered { get; } = ["registeredAddress"];

    /// <summary>The fields expected from <see cref="AdultAge"/> on.</summary>
    public static IReadOnlyList<string> ExpectedOfAdults { get; } = ["phone", "maritalStatus", "education"];

    /// <summary>
    /// The expected fields a person lacks (empty or blank counts as lacking), in the order of
    /// <see cref="ExpectedOfRegistered"/> (registered residents only) then <see cref="ExpectedOfAdults"/>; empty when none is missing.
    /// </summary>
    public static IReadOnlyList<string> MissingFields(DateOnly birthDate, DateOnly today, bool registered, Func<string, string?> field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var missing = registered ? ExpectedOfRegistered.Where(f => string.IsNullOrWhiteSpace(field(f))).ToList() : [];
        if (Ages.On(birthDate, today) >= AdultAge)
        {
            missing.AddRange(ExpectedOfAdults.Where(f => string.IsNullOrWhiteSpace(field(f))));
        }

        return missing;
    }

    /// <summary>Whether a living person born on <paramref name="birthDate"/> is implausibly old on <paramref name="today"/>.</summary>
    public static bool IsImplausibleAge(DateOnly birthDate, DateOnly today) => Ages.On(birthDate, today) > ImplausibleAbove;

    /// <summary>The last day of a migrant's expected stay: the arrival date plus the months (a month-end arrival ends at the shorter month's end).</summary>
    public static DateOnly ExpectedStayEnd(DateOnly arrivalDate, int expectedStayMonths) => arrivalDate.AddMonths(expectedStayMonths);

    /// <summary>Whether a migrant who has not left (<paramref name="departureDate"/> null) is past the expected stay: today is after its end.</summary>
    public static bool IsOverstay(DateOnly arrivalDate, int expectedStayMonths, DateOnly? departureDate, DateOnly today) =>
        departureDate is null && today > ExpectedStayEnd(arrivalDate, expectedStayMonths);

    /// <summary>Whether a relationship to the head is the head itself.</summary>
    public static bool IsHead(string? relationshipToHead) => relationshipToHead == FamilyRelationshipCodes.Head;

    /// <summary>What two suspected duplicates share: the name (trimmed, compared exactly), the birth date and the sex.</summary>
    public static (string Name, DateOnly BirthDate, string Sex) DuplicateKey(string name, DateOnly birthDate, string sex) =>
        ((name ?? "").Trim(), birthDate, sex);

    /// <summary>The code prefix every region within <paramref name="region"/> starts with (the city's first four digits, else the code).</summary>
    public static string CodePrefix(Region region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return region.Level == RegionLevel.City ? region.Code[..4] : region.Code;
    }

    /// <summary>Whether <paramref name="code"/> names one of the rules.</summary>
    public static bool IsRule(string? code) => code is not null && All.Contains(code);
}
