using PopInfo.Domain.Validation;

namespace PopInfo.ServiceDefaults.Problems;

/// <summary>
/// <see cref="FreeText"/>'s rule as a <see cref="RuleViolation"/> naming the field: what every entrance
/// (HTTP request, bus command, CSV row, department record) adds for each of its free-text fields.
/// </summary>
public static class TextViolations
{
    /// <summary>The violation of <paramref name="field"/>'s value, or null when it is text.</summary>
    public static RuleViolation? Of(string field, string? value, bool multiLine = false) =>
        FreeText.FirstOffence(value, multiLine) is { } offence ? new RuleViolation(field, offence.Rule, offence.Message) : null;

    /// <summary>Adds the violation of each single-line field that holds one; true when none did.</summary>
    public static bool AddTo(List<RuleViolation> violations, params ReadOnlySpan<(string Field, string? Value)> fields)
    {
        var before = violations.Count;
        foreach (var (field, value) in fields)
        {
            if (Of(field, value) is { } violation)
            {
                violations.Add(violation);
            }
        }

        return violations.Count == before;
    }

    /// <summary>The violations of single-line fields, as a list of their own.</summary>
    public static List<RuleViolation> Check(params ReadOnlySpan<(string Field, string? Value)> fields)
    {
        var violations = new List<RuleViolation>();
        AddTo(violations, fields);
        return violations;
    }

    /// <summary>
    /// True when System.Text.Json refused to make a .NET string of an escaped lone surrogate ("\uD800"): JSON
    /// lets one be written, UTF-16 strings cannot hold it, and the reader throws instead of returning it.
    /// </summary>
    public static bool IsLoneSurrogateEscape(Exception? exception) =>
        exception is InvalidOperationException { Message: var message } && message.Contains("UTF-16", StringComparison.Ordinal);

    /// <summary>The violation of a JSON value (or property name) that escapes a lone surrogate; no position is known.</summary>
    public static RuleViolation LoneSurrogateEscape(string field) =>
        new(field, FreeText.LoneSurrogate, "The text holds an escaped unpaired surrogate (\\uD800–\\uDFFF without its other half): it is not valid Unicode.");
}
