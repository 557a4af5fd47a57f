using System.Text.Json;
using System.Text.Json.Nodes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Forms;

/// <summary>POST /api/v1/forms: a new form (a draft, or submitted at once with <c>submit: true</c>).</summary>
public sealed record CreateFormRequest
{
    public string? FormType { get; init; }

    /// <summary>Defaults to the collector's community; another community is refused.</summary>
    public string? CommunityCode { get; init; }

    /// <summary>The person the form is about, when found in the register (death, moves, corrections...).</summary>
    public Guid? PersonId { get; init; }

    /// <summary>The version of that person the collector saw; a later change in the register rejects the form (409).</summary>
    public int? ExpectedVersion { get; init; }

    /// <summary>The form's fields: names and values as in docs/collection.md (strings; numbers and booleans accepted).</summary>
    public JsonObject? Data { get; init; }

    public string? Note { get; init; }

    public bool Submit { get; init; }
}

/// <summary>PUT /api/v1/forms/{id}: new data for a draft or a rejected form.</summary>
public sealed record UpdateFormRequest
{
    /// <summary>The revision the collector last read; a stale one is refused (409).</summary>
    public int? Revision { get; init; }

    public Guid? PersonId { get; init; }

    public int? ExpectedVersion { get; init; }

    public JsonObject? Data { get; init; }

    public string? Note { get; init; }
}

/// <summary>POST /api/v1/forms/{id}/submit and /withdraw.</summary>
public sealed record FormActionRequest
{
    public int? Revision { get; init; }

    /// <summary>Withdraw only: why the form is dropped (a rejected form is "dealt with" this way).</summary>
    public string? Reason { get; init; }
}

internal static class FormData
{
    /// <summary>
    /// The free-text check of what a form request carries besides its data: the community it names (looked up
    /// and audited before any other rule), the form type, and the note, which may run over several lines.
    /// </summary>
    public static List<RuleViolation> CheckText(string? communityCode, string? formType, string? note)
    {
        var violations = TextViolations.Check(("communityCode", communityCode), ("formType", formType));
        if (TextViolations.Of("note", note, multiLine: true) is { } poisoned)
        {
            violations.Add(poisoned);
        }

        return violations;
    }

    /// <summary>
    /// The data object as field → text, trimmed, empty values dropped; objects and arrays are refused, and so
    /// is text that breaks the free-text rule (every form field is single-line), so that none of it is stored.
    /// </summary>
    public static Dictionary<string, string> Read(JsonObject? data, List<RuleViolation> violations)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            ReadInto(fields, data, violations);
        }
        catch (InvalidOperationException ex) when (TextViolations.IsLoneSurrogateEscape(ex))
        {
            // A name or value escapes a lone surrogate, which the JSON reader cannot even hand over as a string.
            violations.Add(TextViolations.LoneSurrogateEscape("data"));
            fields.Clear();
        }

        return fields;
    }

    private static void ReadInto(Dictionary<string, string> fields, JsonObject? data, List<RuleViolation> violations)
    {
        foreach (var (name, value) in data ?? [])
        {
            if (!TextViolations.AddTo(violations, ("data", name)))
            {
                continue;
            }

            var text = value?.GetValueKind() switch
            {
                null or JsonValueKind.Null => null,
                JsonValueKind.String => value.GetValue<string>().Trim(),
                JsonValueKind.Number => value.ToJsonString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => Refuse(name),
            };
            if (!string.IsNullOrEmpty(text) && TextViolations.AddTo(violations, (name, text)))
            {
                fields[name] = text;
            }
        }

        string? Refuse(string name)
        {
            violations.Add(new RuleViolation(name, "field.type", "A form field is a text, a number or true/false."));
            return null;
        }
    }
}
