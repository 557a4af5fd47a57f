namespace PopInfo.Domain.Access;

/// <summary>
/// The rules of an auditor's audit search (issue 12, docs/monitoring.md "Audit search"), the same at the monitoring service
/// and at every source it asks: a bounded time range, an optional person (by id or identity number, not both), actor and
/// action of a bounded length, a page size within limits. Each broken rule names its field.
/// </summary>
public static class AuditSearchRules
{
    /// <summary>The longest time range one search covers.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(366);

    public const int MaxLimit = 500;
    public const int DefaultLimit = 100;
    public const int MaxTextLength = 100;

    public const string Required = "required";
    public const string TimeRange = "time.range";
    public const string TimeSpanRule = "time.span";
    public const string Range = "range";
    public const string TextFormat = "text.format";
    public const string CursorFormat = "cursor.format";

    /// <summary>One broken rule: the field, the rule's name and what it says.</summary>
    public sealed record Violation(string Field, string Rule, string Message);

    /// <summary>Every rule the criteria break (none: an empty list). <paramref name="idNumber"/> is the normalised number when one was given.</summary>
    public static List<Violation> Check(
        Guid? personId, string? idNumberGiven, string? actor, string? action, DateTimeOffset? from, DateTimeOffset? to, int? limit, out string? idNumber)
    {
        var violations = new List<Violation>();
        idNumber = null;
        if (personId is not null || idNumberGiven is not null)
        {
            var named = PersonNamed.Check(personId, idNumberGiven);
            idNumber = named.IdNumber;
            if (named.Rule is not null)
            {
                violations.Add(new(named.Field!, named.Rule, named.Message!));
            }
        }

        if (from is null)
        {
            violations.Add(new("from", Required, "from is required: a search covers a bounded time range."));
        }

        if (to is null)
        {
            violations.Add(new("to", Required, "to is required: a search covers a bounded time range."));
        }

        if (from is { } f && to is { } t)
        {
            if (t <= f)
            {
                violations.Add(new("to", TimeRange, "to is later than from."));
            }
            else if (t - f > MaxSpan)
            {
                violations.Add(new("to", TimeSpanRule, $"A search covers at most {MaxSpan.TotalDays} days."));
            }
        }

        CheckText(violations, "actor", actor);
        CheckText(violations, "action", action);
        if (limit is < 1 or > MaxLimit)
        {
            violations.Add(new("limit", Range, $"limit is 1 to {MaxLimit}."));
        }

        return violations;
    }

    private static void CheckText(List<Violation> violations, string field, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length is 0 or > MaxTextLength || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            violations.Add(new(field, TextFormat, $"{field} is 1 to {MaxTextLength} characters without spaces or control characters."));
        }
    }
}
