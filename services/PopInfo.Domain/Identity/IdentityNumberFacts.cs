using System.Globalization;
using PopInfo.Domain.Codes;
using PopInfo.Domain.Counties;

namespace PopInfo.Domain.Identity;

/// <summary>
/// Where an identity number was issued: the county of its first six digits as the county list knows it. The code is
/// never updated when counties merge or are renamed, so it may name a county that no longer exists (320202 崇安区,
/// abolished in 2015), or one that had another name at the time (320211 was 郊区 until 2000).
/// </summary>
/// <param name="Code">The six-digit address code.</param>
/// <param name="Entries">The county list's entries for the code: the one in use first, then the ended ones, latest first; empty when the list does not know it.</param>
public sealed record PlaceOfIssue(string Code, IReadOnlyList<CountyEntry> Entries)
{
    /// <summary>Whether the county list knows the code at all (a code of a 市辖区, e.g. 320201, it does not).</summary>
    public bool IsKnown => Entries.Count > 0;

    /// <summary>The entry to show: the one in use, else the latest that ended; null when unknown.</summary>
    public CountyEntry? Shown => Entries.Count > 0 ? Entries[0] : null;

    /// <summary>Known, but no longer in use under this code: the page marks it "abolished" with its years.</summary>
    public bool IsAbolished => Shown is { InUse: false };
}

/// <summary>A field of a form that says otherwise than its identity number: the field, the rule and a message.</summary>
public sealed record IdentityMismatch(string Field, string Rule, string Message);

/// <summary>What an identity number says about its holder: birth date, sex and place of issue.</summary>
/// <param name="BirthDate">Characters 7–14 (YYYYMMDD); of a 15-digit number, 19YYMMDD (18YYMMDD for sequences 996–999).</param>
/// <param name="SexCode">GB/T 2261.1: "1" male (odd sequence), "2" female (even sequence).</param>
/// <param name="PlaceOfIssue">The county of the first six digits.</param>
public sealed record IdentityNumberFacts(DateOnly BirthDate, string SexCode, PlaceOfIssue PlaceOfIssue)
{
    /// <summary>The facts of a valid number's parts (<see cref="IdentityNumber.ParseAny"/>), its place named from <paramref name="counties"/>.</summary>
    public static IdentityNumberFacts Of(IdentityNumberParts parts, CountyCatalogue counties)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(counties);
        return new IdentityNumberFacts(parts.BirthDate, parts.SexCode, new PlaceOfIssue(parts.AddressCode, counties.EntriesOf(parts.AddressCode)));
    }

    /// <summary>The rule: a form's birth date must be the one in its identity number.</summary>
    public const string BirthDateRule = "birth-date.matches-id-number";

    /// <summary>The rule: a form's sex (1 or 2) must be the one the identity number's sequence says.</summary>
    public const string SexRule = "sex.matches-id-number";

    /// <summary>
    /// Where a form's birth date or sex, as typed, differs from what the identity number says — the check the desk page
    /// shows before submitting and the desk's form rules apply on submit. A field not given (null) is not compared,
    /// and a sex other than 1 or 2 is left to the sex code rule.
    /// </summary>
    public static IReadOnlyList<IdentityMismatch> Mismatches(IdentityNumberParts parts, DateOnly? birthDate, string? sexCode)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var mismatches = new List<IdentityMismatch>(2);
        if (birthDate is { } stated && stated != parts.BirthDate)
        {
            mismatches.Add(new IdentityMismatch("birthDate", BirthDateRule, $"The identity number says the birth date is {parts.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}."));
        }

        if (sexCode is SexCodes.Male or SexCodes.Female && sexCode != parts.SexCode)
        {
            mismatches.Add(new IdentityMismatch("sex", SexRule, "The identity number's sequence digit says the other sex."));
        }

        return mismatches;
    }

    // The birth date is personal data: a logged result says no more than the sex and the county.
    public override string ToString() => $"IdentityNumberFacts {{ SexCode = {SexCode}, PlaceOfIssue = {PlaceOfIssue.Code} }}";
}
