using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security.RateLimits;
using PopInfo.Sharing.Grants;

namespace PopInfo.Sharing;

/// <summary>The refusals of the sharing application, each naming its rule (no HTTP in them; endpoints map them with RefusalProblems).</summary>
public static class SharingRefusals
{
    /// <summary>
    /// The record changed since the caller read it (<see cref="RefusalKind.VersionConflict"/>: the version in the body), or the
    /// caller's If-Match names another version or no record (<see cref="RefusalKind.PreconditionFailed"/>), or names none for
    /// an existing record (<see cref="RefusalKind.PreconditionRequired"/>).
    /// </summary>
    public static Refusal Version(RefusalKind kind, int? currentVersion, string detail)
    {
        var (field, rule) = kind switch
        {
            RefusalKind.VersionConflict => ("expectedVersion", "version.current"),
            RefusalKind.PreconditionFailed => ("If-Match", "version.if-match"),
            RefusalKind.PreconditionRequired => ("If-Match", "version.required"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a version refusal."),
        };
        return new Refusal(kind, detail) { Field = field, Rule = rule }.With("currentVersion", currentVersion);
    }

    /// <summary>The caller's grant refuses it under <paramref name="rule"/>.</summary>
    public static Refusal Refused(RuleViolation rule) => Refusal.Forbidden(rule.Rule, rule.Message);

    /// <summary>The department's daily quota is used up: try again after midnight in China.</summary>
    public static Refusal QuotaExceeded(QuotaDecision decision) =>
        new Refusal(RefusalKind.RateLimited, decision.Quota is { } quota
            ? $"{decision.Used} of {quota} items are used on {decision.Day:yyyy-MM-dd} (China Standard Time); this request would pass the quota. Nothing was counted; try again after midnight in China."
            : "There is no active grant for this client.")
        {
            Title = "The daily quota is used up.",
            Rule = DailyQuota.Rule,
            RetryAfterSeconds = decision.RetryAfterSeconds,
        }
        .With("day", decision.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
        .With("used", decision.Used)
        .With("dailyQuota", decision.Quota);

    /// <summary>The department's requests this minute passed its grant's rate limit.</summary>
    public static Refusal RateLimited(RateLimitDecision decision) => Refusal.RateLimited(decision.Limit, decision.RetryAfterSeconds);

    /// <summary>The service cannot answer now (its copy of the register is being built, or the access audit cannot be stored).</summary>
    public static Refusal Unavailable(string detail, int retryAfterSeconds) =>
        Refusal.Unavailable("service.unavailable", "The service cannot answer now.", detail, retryAfterSeconds);
}
