namespace PopInfo.Domain.Monitoring;

/// <summary>One broken rule of an alert rule's settings: the field and the rule's code (docs/monitoring.md, "Alert rules").</summary>
public sealed record AlertRuleOffence(string Field, string Rule, string Message);

/// <summary>What an alert rule may say: its code's form, a known comparison and severity, a finite threshold, a bounded duration.</summary>
public static class AlertRuleLimits
{
    /// <summary>The longest duration a condition may be asked to hold: a day.</summary>
    public const int MaxDurationSeconds = 86_400;

    public const int MaxDescriptionLength = 300;

    /// <summary>A rule's code: 3–40 lower-case ASCII letters, digits and '-', starting with a letter (rule <c>code.format</c>).</summary>
    public static bool IsCode(string? code) =>
        code is { Length: >= 3 and <= 40 } && char.IsAsciiLetterLower(code[0]) && code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>Every offence of a rule's settings; <paramref name="isMetric"/> says whether the metric is one the collector takes.</summary>
    public static IReadOnlyList<AlertRuleOffence> Check(string? code, string? metric, string? comparison, double? threshold, int? durationSeconds,
        string? severity, string? description, Func<string?, bool> isMetric)
    {
        var offences = new List<AlertRuleOffence>();
        if (!IsCode(code))
        {
            offences.Add(new("code", "code.format", "A rule's code is 3–40 lower-case letters, digits and '-', starting with a letter."));
        }

        if (!isMetric(metric))
        {
            offences.Add(new("metric", "metric.known", "The metric is one the monitoring service samples (docs/monitoring.md, \"Samples\")."));
        }

        if (comparison is null || !AlertComparison.All.Contains(comparison))
        {
            offences.Add(new("comparison", "comparison.known", "comparison is 'above' or 'below'."));
        }

        if (threshold is not { } t || !double.IsFinite(t))
        {
            offences.Add(new("threshold", "threshold.number", "threshold is a finite number."));
        }

        if (durationSeconds is not (>= 0 and <= MaxDurationSeconds))
        {
            offences.Add(new("durationSeconds", "range", $"durationSeconds is 0 to {MaxDurationSeconds}."));
        }

        if (severity is null || !AlertSeverity.All.Contains(severity))
        {
            offences.Add(new("severity", "severity.known", "severity is 'warning' or 'critical'."));
        }

        if (string.IsNullOrWhiteSpace(description) || description.Length > MaxDescriptionLength)
        {
            offences.Add(new("description", "length", $"description is 1 to {MaxDescriptionLength} characters."));
        }

        return offences;
    }
}
