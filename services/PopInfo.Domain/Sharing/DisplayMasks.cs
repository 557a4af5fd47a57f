using System.Text;
using PopInfo.Domain.Privacy;
using PopInfo.Domain.Records;

namespace PopInfo.Domain.Sharing;

/// <summary>
/// How a grant may show a field to a department: in full, or masked. These masks are for answers a department's staff
/// read (a clerk comparing a number on a paper form), so they keep more than the masks for logs
/// (<see cref="Privacy.PersonalDataMask"/>, <see cref="Identity.IdentityNumber.Mask"/>), which keep as little as
/// possible: an identity number keeps its first four and last four characters (<c>3202**********123X</c>), a phone
/// its first three and last four digits (<c>138****5678</c>), a name its first character (<c>张**</c>, the log mask:
/// there is nothing less to keep), an address
/// its first six characters, a birth date its year.
/// </summary>
public static class DisplayMasks
{
    /// <summary>The field as the register holds it.</summary>
    public const string Plain = "plain";

    /// <summary>The field with the mask <see cref="Masked"/> names for it.</summary>
    public const string Masked = "masked";

    public static IReadOnlyList<string> Kinds { get; } = [Plain, Masked];

    /// <summary>The fields that have a mask; any other field is granted plain or not at all.</summary>
    public static IReadOnlySet<string> Maskable { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        PersonFields.IdNumber, PersonFields.Name, PersonFields.Phone, PersonFields.BirthDate,
        PersonFields.RegisteredAddress, PersonFields.ResidenceAddress,
    };

    /// <summary>A field's value as a grant shows it (null stays null).</summary>
    public static string? Apply(string field, string mask, string? value)
    {
        if (value is null || mask == Plain)
        {
            return value;
        }

        return field switch
        {
            PersonFields.IdNumber => KeepEnds(value, 4, 4),
            PersonFields.Phone => KeepEnds(value, 3, 4),
            PersonFields.Name => PersonalDataMask.MaskName(value),
            PersonFields.BirthDate => value.Length >= 4 ? $"{value[..4]}-**-**" : "****-**-**",
            PersonFields.RegisteredAddress or PersonFields.ResidenceAddress => KeepEnds(value, 6, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "This field has no mask."),
        };
    }

    // Keeps the first and last characters (counted as text elements, so a rare surname outside the Basic Multilingual
    // Plane is one character), every other one a '*'. A value too short to hide anything is hidden whole.
    private static string KeepEnds(string value, int first, int last)
    {
        var runes = value.EnumerateRunes().ToList();
        if (runes.Count <= first + last)
        {
            return new string('*', Math.Max(runes.Count, 1));
        }

        var result = new StringBuilder(value.Length);
        for (var i = 0; i < runes.Count; i++)
        {
            if (i < first || i >= runes.Count - last)
            {
                result.Append(runes[i].ToString());
            }
            else
            {
                result.Append('*');
            }
        }

        return result.ToString();
    }
}
