using PopInfo.Domain.Codes;

namespace PopInfo.Domain.Identity;

/// <summary>
/// The fields encoded in a valid resident identity number (GB 11643-1999).
/// </summary>
/// <param name="AddressCode">
/// The six-digit GB/T 2260 county-level code of the registered residence when the number was issued.
/// It is never updated when counties are renamed or merged, so it may no longer exist.
/// </param>
/// <param name="BirthDate">The birth date. Parse cannot tell whether it lies in the future: compare it with your clock.</param>
/// <param name="Sequence">The three-digit sequence code, 0–999; odd for men, even for women.</param>
/// <param name="CheckCharacter">The ISO 7064 MOD 11-2 check character, '0'–'9' or upper-case 'X'.</param>
public sealed record IdentityNumberParts(string AddressCode, DateOnly BirthDate, int Sequence, char CheckCharacter)
{
    public bool IsMale => Sequence % 2 == 1;

    /// <summary>The GB/T 2261.1-2003 sex code the number implies: "1" male, "2" female.</summary>
    public string SexCode => IsMale ? SexCodes.Male : SexCodes.Female;

    // All four parts together are the full number, so the compiler-generated ToString would leak it into logs.
    public override string ToString() => $"IdentityNumberParts {{ AddressCode = {AddressCode}, SexCode = {SexCode} }}";
}
