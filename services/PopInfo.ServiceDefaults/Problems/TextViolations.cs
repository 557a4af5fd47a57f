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
}
