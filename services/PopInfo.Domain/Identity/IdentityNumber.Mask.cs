namespace PopInfo.Domain.Identity;

public static partial class IdentityNumber
{
    private const string FullyMasked = "***";

    /// <summary>
    /// Masks an identity number for logs and support screens: the first six characters (the address
    /// code) and the last two stay, everything else becomes '*', e.g. "320205**********1X".
    /// The platform never logs a full identity number.
    /// </summary>
    /// <remarks>
    /// Anything shorter than a legacy 15-digit number becomes "***": keeping eight characters of a short
    /// string would reveal most of it.
    /// </remarks>
    public static string Mask(string? idNumber)
    {
        if (idNumber is null || idNumber.Length < LegacyLength)
        {
            return FullyMasked;
        }

        return string.Create(idNumber.Length, idNumber, static (span, source) =>
        {
            span.Fill('*');
            source.AsSpan(0, 6).CopyTo(span);
            source.AsSpan(source.Length - 2).CopyTo(span[^2..]);
        });
    }
}
