using System.Text.Json.Nodes;

namespace PopInfo.IntegrationTests.Poison;

/// <summary>The characters the free-text rule refuses, one of each kind, with the rule each must be refused by.</summary>
public static class Poisons
{
    public const string ControlCharacter = "text.control-character";
    public const string BidiOverride = "text.bidi-override";
    public const string LoneSurrogate = "text.lone-surrogate";
    public const string Noncharacter = "text.noncharacter";

    /// <summary>By name (what a test's name shows): the character and its rule.</summary>
    public static IReadOnlyDictionary<string, (string Character, string Rule)> All { get; } = new Dictionary<string, (string, string)>
    {
        ["NUL"] = ("\0", ControlCharacter),
        ["BEL"] = ("\u0007", ControlCharacter),
        ["ESC"] = ("\u001B", ControlCharacter),
        ["LF in a single-line field"] = ("\n", ControlCharacter),
        ["DEL"] = ("\u007F", ControlCharacter),
        ["C1 NEL"] = ("\u0085", ControlCharacter),
        ["C1 CSI"] = ("\u009B", ControlCharacter),
        ["RLO"] = ("\u202E", BidiOverride),
        ["FSI"] = ("\u2068", BidiOverride),
        ["U+FDD0"] = ("\uFDD0", Noncharacter),
        ["U+FFFE"] = ("\uFFFE", Noncharacter),
        ["U+10FFFF"] = ("\U0010FFFF", Noncharacter),
    };

    /// <summary>Every case × every poison (that <paramref name="include"/> keeps), for a theory.</summary>
    public static TheoryData<string, string> Cross(IEnumerable<string> cases, Func<string, string, bool>? include = null)
    {
        var data = new TheoryData<string, string>();
        foreach (var name in cases)
        {
            foreach (var poison in All.Keys.Where(p => include?.Invoke(name, p) ?? true))
            {
                data.Add(name, poison);
            }
        }

        return data;
    }

    /// <summary>The text with the poison inside it (after its first character), as a careless or hostile client would send it.</summary>
    public static string Into(string text, string poison) => text.Length == 0 ? poison : text[..1] + poison + text[1..];

    /// <summary>Sets the value at a dotted path (<c>migrant.reason</c>) of a JSON body to the poisoned text of what is there.</summary>
    public static void Poison(JsonObject body, string path, string poison)
    {
        var parts = path.Split('.');
        var parent = body;
        foreach (var part in parts[..^1])
        {
            parent = (JsonObject)parent[part]!;
        }

        parent[parts[^1]] = Into((string?)parent[parts[^1]] ?? "文本", poison);
    }

    /// <summary>A JSON body with an escaped lone surrogate where <paramref name="path"/>'s value is (System.Text.Json will not write one).</summary>
    public static string WithLoneSurrogate(JsonObject body, string path)
    {
        const string marker = "LONE-SURROGATE-MARKER";
        Poison(body, path, marker);
        return body.ToJsonString().Replace(marker, "\\uD800", StringComparison.Ordinal);
    }
}
