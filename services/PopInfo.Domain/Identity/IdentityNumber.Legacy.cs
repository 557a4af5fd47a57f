namespace PopInfo.Domain.Identity;

public static partial class IdentityNumber
{
    /// <summary>
    /// Validates a 15-digit number issued before 1999 (GB 11643-1989: six-digit address code, YYMMDD, three-digit
    /// sequence, no check character) and converts it: the result's <see cref="IdentityNumberResult.Normalized"/> is the
    /// 18-character form. Stops at the first failing rule: required, length, characters, province, birth date.
    /// </summary>
    public static IdentityNumberResult ParseLegacy15(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return IdentityNumberResult.Invalid(IdentityNumberRules.Required, "An identity number is required.");
        }

        if (value.Length != LegacyLength)
        {
            return IdentityNumberResult.Invalid(
                IdentityNumberRules.Length,
                $"A legacy identity number has 15 digits; this one has {value.Length}.");
        }

        for (var i = 0; i < LegacyLength; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return IdentityNumberResult.Invalid(
                    IdentityNumberRules.Characters,
                    $"Character {i + 1} must be a digit 0-9: a 15-digit number has no check character.");
            }
        }

        if (!IsProvincePrefix(value.AsSpan(0, 2)))
        {
            return IdentityNumberResult.Invalid(
                IdentityNumberRules.Province,
                $"The first two digits '{value.AsSpan(0, 2)}' are not a province-level code of GB/T 2260.");
        }

        var sequence = ReadNumber(value.AsSpan(12, 3));

        // GB 11643-1999: sequence codes 996–999 were reserved for centenarians, who were born in the 1800s.
        var century = sequence >= 996 ? 1800 : 1900;
        var year = century + ReadNumber(value.AsSpan(6, 2));
        var month = ReadNumber(value.AsSpan(8, 2));
        var day = ReadNumber(value.AsSpan(10, 2));
        if (!IsCalendarDate(year, month, day))
        {
            return IdentityNumberResult.Invalid(
                IdentityNumberRules.BirthDate,
                "The birth date (characters 7 to 12, YYMMDD) is not a real calendar date.");
        }

        // Create computes the check character with the same code as Parse, so the converted number is valid by construction.
        var converted = Create(value[..6], new DateOnly(year, month, day), sequence);
        var parts = new IdentityNumberParts(converted[..6], new DateOnly(year, month, day), sequence, converted[17]);
        return IdentityNumberResult.Valid(converted, parts);
    }

    /// <summary>
    /// Validates an identity number as a resident may hold it: 18 characters (<see cref="Parse"/>), or 15 digits if
    /// issued before 1999 (<see cref="ParseLegacy15"/>, converted to 18). The rules and their names are those two's.
    /// </summary>
    public static IdentityNumberResult ParseAny(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length == FullLength)
        {
            return Parse(value);
        }

        return value.Length == LegacyLength
            ? ParseLegacy15(value)
            : IdentityNumberResult.Invalid(
                IdentityNumberRules.Length,
                $"An identity number has 18 characters (15 digits if issued before 1999); this one has {value.Length}.");
    }
}
