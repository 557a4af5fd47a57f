using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using PopInfo.Domain.Codes;

namespace PopInfo.Domain.Validation;

/// <summary>
/// The formats of a person's fields that every part of the platform checks the same way (the registry's
/// record rules, the desk's form rules): names, phone numbers, county codes of origin.
/// </summary>
public static partial class PersonFormats
{
    /// <summary>1–50 letters of any script, with the middle dot of minority and foreign names and inner spaces.</summary>
    public static bool IsName([NotNullWhen(true)] string? name) => name is { Length: >= 1 and <= 50 } && NamePattern().IsMatch(name);

    /// <summary>A mainland mobile number (11 digits starting 13–19) or a landline such as 0510-12345678.</summary>
    public static bool IsPhone([NotNullWhen(true)] string? phone) => phone is not null && PhonePattern().IsMatch(phone);

    /// <summary>A six-digit county code (GB/T 2260) with a valid province prefix, not a province itself.</summary>
    public static bool IsCountyCode([NotNullWhen(true)] string? code) =>
        code is { Length: 6 } && code.All(char.IsAsciiDigit) && NationalCodes.Province.Contains(code[..2]) && code[2..] != "0000";

    [GeneratedRegex(@"^[\p{L}\p{M}][\p{L}\p{M}·• ]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")]
    private static partial Regex PhonePattern();
}
