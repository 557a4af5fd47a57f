using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Analytics.Engine;

/// <summary>What the analytics application answers: a value, or the rules the request broke (no HTTP in it; endpoints map it).</summary>
public sealed record AnalyticsResult<T>(T? Value, IReadOnlyList<RuleViolation> Violations)
{
    public bool Succeeded => Violations.Count == 0;
}

/// <summary>Makes <see cref="AnalyticsResult{T}"/> values.</summary>
public static class AnalyticsResult
{
    public static AnalyticsResult<T> Ok<T>(T value) => new(value, []);

    public static AnalyticsResult<T> Invalid<T>(IReadOnlyList<RuleViolation> violations) => new(default, violations);
}
