using PopInfo.Domain.Codes;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Validation;

namespace PopInfo.Domain.Sharing;

/// <summary>
/// The form of the questions departments ask: a verification names an identity number and a name (a birth date and a sex
/// code when given); a look-up names an identity number, or a name with a birth date (and perhaps a region). Each rule
/// names the field it concerns, so a batch item's answer says which of its fields was wrong.
/// </summary>
public static class SharingQuestions
{
    public const int MaxName = 64;

    public const string IdNumberRule = "question.id-number";
    public const string NameRule = "question.name";
    public const string SexRule = "question.sex";
    public const string LookupKeyRule = "question.lookup-key";
    public const string RegionRule = "question.region";
    public const string BatchSizeRule = "question.batch-size";

    /// <summary>The rules a verification's question breaks (none: it may be asked).</summary>
    public static IReadOnlyList<GrantViolation> OfVerification(string? idNumber, string? name, string? sex)
    {
        var problems = new List<GrantViolation>();
        AddIdNumber(problems, idNumber);
        AddName(problems, name);
        if (sex is not null && sex is not (SexCodes.Male or SexCodes.Female or SexCodes.Unknown or SexCodes.Unstated))
        {
            problems.Add(new("sex", SexRule, "The sex is a GB/T 2261.1 code: 0, 1, 2 or 9."));
        }

        return problems;
    }

    /// <summary>The rules a look-up's question breaks: an identity number alone, or a name and a birth date (and a region of the city).</summary>
    public static IReadOnlyList<GrantViolation> OfLookup(string? idNumber, string? name, DateOnly? birthDate, string? region, RegionCatalogue regions)
    {
        var problems = new List<GrantViolation>();
        if (idNumber is not null)
        {
            if (name is not null || birthDate is not null)
            {
                problems.Add(new("idNumber", LookupKeyRule, "Look up by identity number, or by name and birth date: not both."));
            }

            AddIdNumber(problems, idNumber);
        }
        else if (name is null || birthDate is null)
        {
            problems.Add(new(name is null ? "name" : "birthDate", LookupKeyRule, "Look up by identity number, or by name and birth date together."));
        }
        else
        {
            AddName(problems, name);
        }

        if (region is not null && !regions.TryGet(region, out _))
        {
            problems.Add(new("region", RegionRule, "The region is the code of a district, street or community of the city."));
        }

        return problems;
    }

    /// <summary>The rules a household question breaks: an identity number, valid.</summary>
    public static IReadOnlyList<GrantViolation> OfHousehold(string? idNumber)
    {
        var problems = new List<GrantViolation>();
        AddIdNumber(problems, idNumber);
        return problems;
    }

    /// <summary>The rule a batch's size breaks: 1 to <see cref="SharingOperations.MaxBatch"/> items.</summary>
    public static GrantViolation? OfBatch(int? items) => items is null or < 1 or > SharingOperations.MaxBatch
        ? new("items", BatchSizeRule, $"A batch has 1 to {SharingOperations.MaxBatch} items.")
        : null;

    private static void AddIdNumber(List<GrantViolation> problems, string? idNumber)
    {
        var parsed = IdentityNumber.Parse(idNumber);
        if (!parsed.IsValid)
        {
            // The parser's message names the broken rule and never repeats the number.
            problems.Add(new("idNumber", IdNumberRule, parsed.Message));
        }
    }

    private static void AddName(List<GrantViolation> problems, string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxName || FreeText.FirstOffence(name) is not null)
        {
            problems.Add(new("name", NameRule, $"The name is 1 to {MaxName} characters of text, no control characters."));
        }
    }
}
