using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace PopInfo.ServiceDefaults.Problems;

/// <summary>Builds RFC 9457 problem details in the one shape every PopInfo API answers with.</summary>
public static class Problem
{
    /// <summary>
    /// 400 with both the ASP.NET Core <c>errors</c> map (field → messages) and <c>violations</c>
    /// (field, rule, message), so a client can act on the rule name rather than parse a message.
    /// </summary>
    public static ProblemDetails Validation(IReadOnlyCollection<RuleViolation> violations, string? detail = null)
    {
        var problem = new ProblemDetails
        {
            Type = ProblemTypes.Validation,
            Title = "The request breaks one or more rules.",
            Status = StatusCodes.Status400BadRequest,
            Detail = detail ?? string.Join(" ", violations.Select(v => $"{v.Field}: {v.Message} [{v.Rule}]")),
        };
        problem.Extensions["errors"] = violations
            .GroupBy(v => v.Field)
            .ToDictionary(g => g.Key, g => g.Select(v => v.Message).ToArray());
        problem.Extensions["violations"] = violations;
        return problem;
    }

    public static ProblemDetails Validation(string field, string rule, string message) =>
        Validation([new RuleViolation(field, rule, message)]);

    public static ProblemDetails NotFound(string detail) => new()
    {
        Type = ProblemTypes.NotFound,
        Title = "Not found.",
        Status = StatusCodes.Status404NotFound,
        Detail = detail,
    };

    public static ProblemDetails VersionConflict(int expected, int current) => new()
    {
        Type = ProblemTypes.VersionConflict,
        Title = "The record has changed since you read it.",
        Status = StatusCodes.Status409Conflict,
        Detail = $"expectedVersion was {expected} but the current version is {current}. Read the record again and resend.",
        Extensions = { ["field"] = "expectedVersion", ["rule"] = "version.current", ["currentVersion"] = current },
    };

    /// <summary>The caller is known but may not do this, under the named rule.</summary>
    public static ProblemDetails Forbidden(string rule, string detail) => new()
    {
        Type = ProblemTypes.Forbidden,
        Title = "Not allowed.",
        Status = StatusCodes.Status403Forbidden,
        Detail = detail,
        Extensions = { ["rule"] = rule },
    };

    public static ProblemDetails Conflict(string field, string rule, string detail) => new()
    {
        Type = ProblemTypes.Conflict,
        Title = "The request conflicts with the register.",
        Status = StatusCodes.Status409Conflict,
        Detail = detail,
        Extensions = { ["field"] = field, ["rule"] = rule },
    };

    public static ProblemDetails IdempotencyKeyReused() => new()
    {
        Type = ProblemTypes.IdempotencyKeyReused,
        Title = "This command id was already used for a different request.",
        Status = StatusCodes.Status422UnprocessableEntity,
        Detail = "A commandId identifies one command: resend the same body, or use a new commandId.",
        Extensions = { ["field"] = "commandId", ["rule"] = "command-id.same-request" },
    };

    /// <summary>503: the service has more work queued than it accepts; the caller retries after <paramref name="retryAfterSeconds"/>.</summary>
    public static ProblemDetails Busy(int retryAfterSeconds) => new()
    {
        Type = ProblemTypes.Busy,
        Title = "The service is busy.",
        Status = StatusCodes.Status503ServiceUnavailable,
        Detail = $"Too many changes are waiting to be applied. Nothing was stored; send the same command again after {retryAfterSeconds} s.",
        Extensions = { ["rule"] = "service.busy", ["retryAfterSeconds"] = retryAfterSeconds },
    };

    /// <summary>429: the caller has used up a rate limit (<paramref name="limit"/>, e.g. <c>sign-in.address</c>) for now.</summary>
    public static ProblemDetails RateLimited(string limit, int retryAfterSeconds) => new()
    {
        Type = ProblemTypes.RateLimited,
        Title = "Too many requests.",
        Status = StatusCodes.Status429TooManyRequests,
        Detail = $"The limit {limit} is used up for now; try again after {retryAfterSeconds} s.",
        Extensions = { ["rule"] = "rate.limit", ["limit"] = limit, ["retryAfterSeconds"] = retryAfterSeconds },
    };

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
