using System.Globalization;

namespace PopInfo.Registry.Data;

/// <summary>
/// The change-log number as a stand-in inside JSON written before the number is known. The change event and the stored
/// answer both carry the number, but the number is taken last, in the same round trip as the rows that carry it (the
/// row lock behind it is held until commit: every round trip under it is one that every other writer waits for, ADR 0001).
/// So the JSON is serialised with <see cref="Value"/> and the database replaces <see cref="Token"/> with the number as
/// text, leaving every other byte as it was (a stored answer is repeated byte for byte). The token cannot occur in a
/// string value: a quote inside a string is always escaped there.
/// </summary>
internal static class SequencePlaceholder
{
    /// <summary>The number serialised in place of the change-log number: one no change-log entry ever has.</summary>
    public const long Value = long.MinValue;

    /// <summary>How <see cref="Value"/> appears in the JSON of an event or an answer (camelCase property, a bare number).</summary>
    public static readonly string Token = "\"sequence\":" + Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The number's text that replaces <see cref="Token"/>.</summary>
    public static string Filled(long sequence) => "\"sequence\":" + sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="json"/> with the placeholder replaced by <paramref name="sequence"/>, as the database does it; the
    /// placeholder must be there exactly once.
    /// </summary>
    public static string Fill(string json, long sequence) => Once(json).Replace(Token, Filled(sequence), StringComparison.Ordinal);

    /// <summary><paramref name="json"/> itself, once it is seen to carry the placeholder exactly once.</summary>
    public static string Once(string json)
    {
        var at = json.IndexOf(Token, StringComparison.Ordinal);
        if (at < 0 || json.IndexOf(Token, at + Token.Length, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException("The JSON must carry the change-log number's placeholder exactly once.");
        }

        return json;
    }
}
