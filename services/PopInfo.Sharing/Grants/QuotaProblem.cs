using Microsoft.AspNetCore.Mvc;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Sharing.Grants;

/// <summary>The answer to a refused quota: 429 naming the rule, with <c>Retry-After</c> until the next midnight in China.</summary>
public static class QuotaProblem
{
    public static ProblemDetails ToProblem(this QuotaDecision decision) => new()
    {
        Type = ProblemTypes.RateLimited,
        Title = "The daily quota is used up.",
        Status = StatusCodes.Status429TooManyRequests,
        Detail = decision.Quota is { } quota
            ? $"{decision.Used} of {quota} items are used on {decision.Day:yyyy-MM-dd} (China Standard Time); this request would pass the quota. Nothing was counted; try again after midnight in China."
            : "There is no active grant for this client.",
        Extensions =
        {
            ["rule"] = DailyQuota.Rule,
            ["day"] = decision.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["used"] = decision.Used,
            ["dailyQuota"] = decision.Quota,
            ["retryAfterSeconds"] = decision.RetryAfterSeconds,
        },
    };
}
