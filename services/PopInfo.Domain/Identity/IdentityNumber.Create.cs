namespace PopInfo.Domain.Identity;

public static partial class IdentityNumber
{
    /// <summary>
    /// Builds a valid 18-character identity number. The synthetic population generator calls this
    /// millions of times, so it writes straight into the new string: no LINQ, no concatenation.
    /// </summary>
    /// <param name="addressCode">Six digits whose first two are a province-level code.</param>
    /// <param name="birthDate">A date in 1800 or later.</param>
    /// <param name="sequence">0–999; odd for men, even for women.</param>
    public static string Create(string addressCode, DateOnly birthDate, int sequence)
    {
        ArgumentNullException.ThrowIfNull(addressCode);
        if (addressCode.Length != 6 || !AreAsciiDigits(addressCode))
        {
            throw new ArgumentException("The address code must be six ASCII digits.", nameof(addressCode));
        }

        if (!IsProvincePrefix(addressCode.AsSpan(0, 2)))
        {
            throw new ArgumentException("The address code does not start with a province-level code.", nameof(addressCode));
        }

        if (birthDate.Year < MinimumBirthYear)
        {
            throw new ArgumentOutOfRangeException(nameof(birthDate), "The birth year must be 1800 or later.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, 999);

        return string.Create(FullLength, (addressCode, birthDate, sequence), static (span, state) =>
        {
            state.addressCode.CopyTo(span);
            var (year, month, day) = state.birthDate;
            WriteDigits(span.Slice(6, 4), year);
            WriteDigits(span.Slice(10, 2), month);
            WriteDigits(span.Slice(12, 2), day);
            WriteDigits(span.Slice(14, 3), state.sequence);
            span[17] = CheckCharacterOf(span[..17]);
        });
    }

    /// <summary>
    /// Converts a 15-digit number issued before 1999 (two-digit year, no check character) to the 18-character form.
    /// </summary>
    /// <exception cref="ArgumentException">Not 15 digits, an unknown province, or not a real date.</exception>
    public static string FromLegacy15(string legacy)
    {
        ArgumentNullException.ThrowIfNull(legacy);
        var result = ParseLegacy15(legacy);
        return result.IsValid ? result.Normalized : throw new ArgumentException(result.Message, nameof(legacy));
    }

    // Writes value as exactly destination.Length decimal digits, zero-padded on the left.
    private static void WriteDigits(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
