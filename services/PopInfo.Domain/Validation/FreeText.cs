using System.Globalization;

namespace PopInfo.Domain.Validation;

/// <summary>
/// The one rule for every free-text field of the platform (names, addresses, reasons, notes, contacts,
/// purposes, user names...): no character that is not text. Control characters break storage (PostgreSQL
/// refuses NUL in text and in jsonb) and logs, bidirectional overrides make a value read differently from
/// what it holds (CVE-2021-42574, "Trojan Source"), lone surrogates are not Unicode at all and cannot be
/// encoded as UTF-8, and non-characters are reserved for a program's own use, never for interchange.
/// </summary>
public static class FreeText
{
    /// <summary>C0 controls (U+0000–U+001F, except tab, line feed and carriage return in a multi-line field), DEL (U+007F) and C1 controls (U+0080–U+009F).</summary>
    public const string ControlCharacter = "text.control-character";

    /// <summary>The bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069.</summary>
    public const string BidiOverride = "text.bidi-override";

    /// <summary>A UTF-16 surrogate without its other half.</summary>
    public const string LoneSurrogate = "text.lone-surrogate";

    /// <summary>U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE...).</summary>
    public const string Noncharacter = "text.noncharacter";

    /// <summary>Every rule name, for documentation and tests.</summary>
    public static readonly IReadOnlyList<string> Rules = [ControlCharacter, BidiOverride, LoneSurrogate, Noncharacter];

    /// <summary>
    /// The first character of <paramref name="text"/> that is not text, or null when there is none (also for
    /// null or empty text). Tab, line feed and carriage return are text only in a <paramref name="multiLine"/> field.
    /// </summary>
    public static TextOffence? FirstOffence(string? text, bool multiLine = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int codePoint = c;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, text[i + 1]);
            }
            else if (char.IsSurrogate(c))
            {
                return new TextOffence(LoneSurrogate, i, codePoint);
            }

            if (RuleFor(codePoint, multiLine) is { } rule)
            {
                return new TextOffence(rule, i, codePoint);
            }

            if (codePoint > char.MaxValue)
            {
                i++;
            }
        }

        return null;
    }

    private static string? RuleFor(int codePoint, bool multiLine) => codePoint switch
    {
        '\t' or '\n' or '\r' when multiLine => null,
        < 0x20 or 0x7F or (>= 0x80 and <= 0x9F) => ControlCharacter,
        (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) => BidiOverride,
        (>= 0xFDD0 and <= 0xFDEF) => Noncharacter,
        _ when (codePoint & 0xFFFE) == 0xFFFE => Noncharacter,
        _ => null,
    };
}

/// <summary>
/// What <see cref="FreeText"/> refused: the rule, the UTF-16 index of the character (0-based) and its
/// code point (for a lone surrogate, the surrogate itself).
/// </summary>
public sealed record TextOffence(string Rule, int Index, int CodePoint)
{
    /// <summary>The code point as Unicode writes it: U+0000, U+202E, U+1FFFF.</summary>
    public string CodePointText => "U+" + CodePoint.ToString(CodePoint > 0xFFFF ? "X5" : "X4", CultureInfo.InvariantCulture);

    /// <summary>
    /// A message for people, naming the character by its code point and its place (1-based) — never the
    /// character itself, which would carry the poison into logs and answers.
    /// </summary>
    public string Message => Rule switch
    {
        FreeText.ControlCharacter => $"The text holds the control character {CodePointText} at position {Index + 1}; control characters are not allowed{(CodePoint is '\t' or '\n' or '\r' ? " in a single-line field" : "")}.",
        FreeText.BidiOverride => $"The text holds the bidirectional formatting character {CodePointText} at position {Index + 1}, which can make it read differently from what it holds; it is not allowed.",
        FreeText.LoneSurrogate => $"The text holds an unpaired surrogate {CodePointText} at position {Index + 1}: it is not valid Unicode.",
        _ => $"The text holds the non-character {CodePointText} at position {Index + 1}; non-characters are not allowed.",
    };
}
