using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.ServiceDefaults.Problems;

/// <summary>
/// RFC 9457 problem details in the one shape every PopInfo API answers with, for code that answers HTTP directly
/// (middleware, the registry's command answers); each is a <see cref="Refusal"/> mapped by <see cref="RefusalProblems"/>.
/// </summary>
public static class Problem
{
    public static ProblemDetails Validation(IReadOnlyCollection<RuleViolation> violations, string? detail = null) =>
        Refusal.Invalid([.. violations], detail).ToProblem();

    public static ProblemDetails Validation(string field, string rule, string message) => Refusal.Invalid(field, rule, message).ToProblem();

    public static ProblemDetails NotFound(string detail) => Refusal.NotFound(detail).ToProblem();

    public static ProblemDetails VersionConflict(int expected, int current) => Refusal.VersionConflict(expected, current).ToProblem();

    /// <summary>The caller is known but may not do this, under the named rule.</summary>
    public static ProblemDetails Forbidden(string rule, string detail) => Refusal.Forbidden(rule, detail).ToProblem();

    public static ProblemDetails Conflict(string field, string rule, string detail) => Refusal.Conflict(field, rule, detail).ToProblem();

    public static ProblemDetails IdempotencyKeyReused() => Refusal.CommandIdReused().ToProblem();

    /// <summary>503: the service has more work queued than it accepts; the caller retries after <paramref name="retryAfterSeconds"/>.</summary>
    public static ProblemDetails Busy(int retryAfterSeconds) => Refusal.Busy(retryAfterSeconds).ToProblem();

    /// <summary>429: the caller has used up a rate limit (<paramref name="limit"/>, e.g. <c>sign-in.address</c>) for now.</summary>
    public static ProblemDetails RateLimited(string limit, int retryAfterSeconds) => Refusal.RateLimited(limit, retryAfterSeconds).ToProblem();

    /// <summary>
    /// Turns a problem into an endpoint result with the problem+json media type; a problem that says when to try
    /// again (<c>retryAfterSeconds</c>) also says it in the <c>Retry-After</c> header.
    /// </summary>
    public static IResult ToResult(this ProblemDetails problem) =>
        problem.Extensions.TryGetValue("retryAfterSeconds", out var seconds) && seconds is not null
            ? new RetryAfterResult(TypedResults.Problem(problem), Convert.ToString(seconds, System.Globalization.CultureInfo.InvariantCulture)!)
            : TypedResults.Problem(problem);

    private sealed class RetryAfterResult(IResult problem, string seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds;
            return problem.ExecuteAsync(httpContext);
        }
    }
}
