using System.Text;
using PopInfo.Domain.Records;

namespace PopInfo.Domain.Sharing;

/// <summary>
/// The answer to a verification (核验): whether an identity number belongs with a name — and, when given, a birth date
/// and a sex — in the register. It carries no personal data. A number the register does not hold answers
/// <see cref="NoMatch"/> unless the department's grant allows telling <see cref="NotFound"/> apart, so that verifying is
/// not a way to learn which numbers exist. A person who died or left is told as such only when every given detail
/// matches: otherwise their status would be given away to anyone holding their number.
/// </summary>
public static class Verification
{
    public const string Match = "match";
    public const string NoMatch = "no-match";
    public const string Deceased = "deceased";
    public const string MovedAway = "moved-away";
    public const string NotFound = "not-found";

    public static IReadOnlyList<string> Outcomes { get; } = [Match, NoMatch, Deceased, MovedAway, NotFound];

    /// <summary>The outcome for a claim against the register's person with that number (null: none).</summary>
    public static string Outcome(RegisteredPerson? person, VerificationClaim claim, bool mayTellNotFound)
    {
        if (person is null)
        {
            return mayTellNotFound ? NotFound : NoMatch;
        }

        var matches = SameName(person.Name, claim.Name)
            && (claim.BirthDate is null || claim.BirthDate == person.BirthDate)
            && (claim.Sex is null || string.Equals(claim.Sex, person.Sex, StringComparison.Ordinal));
        if (!matches)
        {
            return NoMatch;
        }

        return person.Status switch
        {
            PersonStatus.Deceased => Deceased,
            PersonStatus.MovedAway => MovedAway,
            _ => Match,
        };
    }

    /// <summary>
    /// Names compare after Unicode compatibility normalisation (full-width letters and spaces as typed on a Chinese
    /// keyboard become their ordinary forms) with outer spaces trimmed and inner runs of spaces made one; nothing else
    /// is forgiven (no case folding of Chinese, no pinyin, no traditional/simplified mapping).
    /// </summary>
    public static bool SameName(string registered, string claimed) =>
        string.Equals(NameKey(registered), NameKey(claimed), StringComparison.Ordinal);

    /// <summary>A name as <see cref="SameName"/> compares it: what a look-up by name searches for.</summary>
    public static string NameKey(string name)
    {
        var normal = name.Normalize(NormalizationForm.FormKC).Trim();
        var result = new StringBuilder(normal.Length);
        var space = false;
        foreach (var c in normal)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && result.Length > 0)
            {
                result.Append(' ');
            }

            space = false;
            result.Append(c);
        }

        return result.ToString();
    }
}

/// <summary>What the register holds of a person, as far as a verification needs it.</summary>
public sealed record RegisteredPerson(string Name, DateOnly BirthDate, string Sex, string Status);

/// <summary>What a department claims of the person with a number: a name, and perhaps a birth date and a sex code.</summary>
public sealed record VerificationClaim(string Name, DateOnly? BirthDate = null, string? Sex = null);
