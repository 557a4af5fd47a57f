using System.Text.Json;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.ServiceDefaults.Problems;

/// <summary>
/// The refusal of a body System.Text.Json could not read (a value of the wrong type, <c>"birthDate": 12</c>): the field
/// from the reader's JSON path and the rule <c>json.format</c>, or the free-text rule for an escaped lone surrogate. One
/// answer for every entrance that reads JSON: an HTTP body (MalformedRequestHandler) and a typed bus command (the registry).
/// </summary>
public static class UnreadableJson
{
    /// <summary>The rule a value of the wrong JSON type breaks.</summary>
    public const string Rule = "json.format";

    public static Refusal RefusalOf(JsonException exception)
    {
        var field = FieldOf(exception.Path);
        return TextViolations.IsLoneSurrogateEscape(exception.InnerException)
            // Well-formed JSON, but not text: answered by the free-text rule like any other poisoned value.
            ? Refusal.Invalid([TextViolations.LoneSurrogateEscape(field)])
            : Refusal.Unreadable(field, Rule, $"The value of '{field}' is not {Expected(exception.Message)}.");
    }

    // Says what the JSON reader wanted, in words, from the type named in its message.
    private static string Expected(string message) => message switch
    {
        _ when message.Contains("DateOnly", StringComparison.Ordinal) => "a date written YYYY-MM-DD",
        _ when message.Contains("DateTimeOffset", StringComparison.Ordinal) => "a time written as ISO 8601, e.g. 2024-05-01T08:00:00+08:00",
        _ when message.Contains("Guid", StringComparison.Ordinal) => "a GUID",
        _ when message.Contains("Int", StringComparison.Ordinal) => "a whole number",
        _ when message.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when message.Contains("String", StringComparison.Ordinal) => "a string",
        _ => "valid JSON of the expected type",
    };

    // "$.child.birthDate" -> "child.birthDate"; "$" or null -> "body".
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');
}
