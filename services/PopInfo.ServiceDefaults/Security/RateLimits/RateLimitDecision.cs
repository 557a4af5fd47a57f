using Microsoft.AspNetCore.Mvc;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.ServiceDefaults.Security.RateLimits;

/// <summary>What a counted request may do: go on, or be answered 429 naming the limit, with when to try again.</summary>
public sealed record RateLimitDecision(string Limit, bool Allowed, int RetryAfterSeconds)
{
    /// <summary>429 problem: <c>rule: rate.limit</c>, <c>limit</c>, <c>retryAfterSeconds</c> (and the <c>Retry-After</c> header by <c>ToResult</c>).</summary>
    public ProblemDetails ToProblem() => Problem.RateLimited(Limit, RetryAfterSeconds);
}
