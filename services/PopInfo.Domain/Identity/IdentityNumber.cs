using PopInfo.Domain.Codes;

namespace PopInfo.Domain.Identity;

/// <summary>
/// The resident identity number (公民身份号码) of GB 11643-1999: six-digit address code, eight-digit
/// birth date, three-digit sequence and an ISO 7064 MOD 11-2 check character.
/// </summary>
/// <remarks>
/// This class is split over several files: validation here, construction in IdentityNumber.Create.cs,
/// masking for logs in IdentityNumber.Mask.cs.
/// </remarks>
public static partial class IdentityNumber
{
    private const int FullLength = 18;
    private const int LegacyLength = 15;
    private const int MinimumBirthYear = 1800;

    // The check-character alphabet indexed by Y = S mod 11 (GB 11643-1999, 8.2).
    private const string CheckCharacters = "10X98765432";

    // Residence permits for Taiwan residents (港澳台居民居住证, since 2018) carry prefix 83, which is
    // not a GB/T 2260 province; Hong Kong (81) and Macao (82) permits use their province codes.
    private const int TaiwanResidencePermitPrefix = 83;

    // Indexed by the first two digits. Built once from the province code list so the two cannot drift apart.
    private static readonly bool[] ProvincePrefixes = BuildProvincePrefixes();

    // ISO 7064 MOD 11-2 weights, 2^(18-i) mod 11 for positions 1..17, written out as the standard prints them.
    private static ReadOnlySpan<byte> Weights => [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>
    /// Validates a resident identity number, stopping at the first failing rule: required, length,
    /// characters, province, birth date, check character. Whitespace is not trimmed: it fails the
    /// characters rule, because a number that needs trimming came from somewhere that needs fixing.
    /// </summary>
    /// <remarks>Whether the birth date lies in the future needs a clock, so callers check <see cref="IdentityNumberParts.BirthDate"/>.</remarks>
    public static IdentityNumberResult Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return IdentityNumberResult.Invalid(IdentityNumberRules.Required, "An identity number is required.");
        }

        if (value.Length != FullLength)
        {
            return IdentityNumberResult.Invalid(
                IdentityNumberRules.Length,
                $"An identity number has 18 characters; this one has {value.Length}.");
        }

        var charactersMessage = FindCharacterError(value);
        if (charactersMessage is not null)
        {
            return IdentityNumberResult.Invalid(IdentityNumberRules.Characters, charactersMessage);
        }

        if (!IsProvincePrefix(value.AsSpan(0, 2)))
        {
            // Two digits say only which province is meant, so naming them reveals nothing about the person.
            return IdentityNumberResult.Invalid(
                IdentityNumberRules.Province,
                $"The first two digits '{value.AsSpan(0, 2)}' are not a province-level code of GB/T 2260.");
        }

        var year = ReadNumber(value.AsSpan(6, 4));
        var month = ReadNumber(value.AsSpan(10, 2));
        var day = ReadNumber(value.AsSpan(12, 2));
        if (year < MinimumBirthYear)
        {
            return IdentityNumberResult.Invalid(
                IdentityNumberRules.BirthDate,
                "The birth year (characters 7 to 10) must be 1800 or later.");
        }

        if (!IsCalendarDate(year, month, day))
        {
            return IdentityNumberResult.Invalid(
                IdentityNumberRules.BirthDate,
                "The birth date (characters 7 to 14, YYYYMMDD) is not a real calendar date.");
        }

        var expected = CheckCharacterOf(value.AsSpan(0, 17));
        var actual = char.ToUpperInvariant(value[17]);
        if (actual != expected)
        {
            return IdentityNumberResult.Invalid(
                IdentityNumberRules.CheckCharacter,
                $"The check character should be '{expected}' (ISO 7064 MOD 11-2).");
        }

        var normalized = value[17] == 'x' ? string.Concat(value.AsSpan(0, 17), "X") : value;
        var parts = new IdentityNumberParts(
            normalized[..6],
            new DateOnly(year, month, day),
            ReadNumber(value.AsSpan(14, 3)),
            expected);
        return IdentityNumberResult.Valid(normalized, parts);
    }

    /// <summary>Computes the ISO 7064 MOD 11-2 check character ('0'–'9' or 'X') of the first 17 digits.</summary>
    /// <exception cref="ArgumentException">The span is not exactly 17 ASCII digits.</exception>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17Digits)
    {
        if (first17Digits.Length != 17 || !AreAsciiDigits(first17Digits))
        {
            throw new ArgumentException("Exactly 17 ASCII digits are needed.", nameof(first17Digits));
        }

        return CheckCharacterOf(first17Digits);
    }

    // Callers have already checked that the span is 17 ASCII digits.
    private static char CheckCharacterOf(ReadOnlySpan<char> first17Digits)
    {
        var weights = Weights;
        var sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += (first17Digits[i] - '0') * weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    private static string? FindCharacterError(string value)
    {
        for (var i = 0; i < FullLength - 1; i++)
        {
            // char.IsDigit would also accept Arabic-Indic and full-width digits; only ASCII is valid here.
            if (!char.IsAsciiDigit(value[i]))
            {
                return value[i] is 'X' or 'x'
                    ? $"'X' is allowed only as the 18th (check) character, not as character {i + 1}."
                    : $"Character {i + 1} must be a digit 0-9.";
            }
        }

        var last = value[FullLength - 1];
        return char.IsAsciiDigit(last) || last is 'X' or 'x'
            ? null
            : "The 18th (check) character must be a digit 0-9 or 'X'.";
    }

    private static bool IsProvincePrefix(ReadOnlySpan<char> twoDigits) =>
        ProvincePrefixes[ReadNumber(twoDigits)];

    private static bool IsCalendarDate(int year, int month, int day) =>
        year is >= 1 and <= 9999
        && month is >= 1 and <= 12
        && day >= 1
        && day <= DateTime.DaysInMonth(year, month);

    private static bool AreAsciiDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    // Callers have already checked that the span holds ASCII digits; int.Parse would be culture-aware and slower.
    private static int ReadNumber(ReadOnlySpan<char> digits)
    {
        var number = 0;
        foreach (var c in digits)
        {
            number = (number * 10) + (c - '0');
        }

        return number;
    }

    private static bool[] BuildProvincePrefixes()
    {
        var table = new bool[100];
        foreach (var entry in NationalCodes.Province.Entries)
        {
            table[ReadNumber(entry.Code)] = true;
        }

        table[TaiwanResidencePermitPrefix] = true;
        return table;
    }
}
