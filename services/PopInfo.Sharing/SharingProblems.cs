using Microsoft.AspNetCore.Mvc;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.Sharing.Grants;

namespace PopInfo.Sharing;

/// <summary>RFC 9457 problems for what the sharing application refused, each naming its rule; turn them into results with <see cref="Problem.ToResult"/>.</summary>
public static class SharingProblems
{
    public static ProblemDetails Of<T>(SharingResult<T> result) => result.Failure switch
    {
        SharingFailure.Invalid => Problem.Validation(result.Violations),
        SharingFailure.NotFound => Problem.NotFound(result.Detail ?? "Not found."),
        SharingFailure.VersionConflict => new ProblemDetails
        {
            Type = ProblemTypes.VersionConflict,
            Title = "The record has changed since you read it.",
            Status = StatusCodes.Status409Conflict,
            Detail = result.Detail,
            Extensions = { ["field"] = "expectedVersion", ["rule"] = "version.current", ["currentVersion"] = result.CurrentVersion },
        },
        SharingFailure.PreconditionFailed => new ProblemDetails
        {
            Type = ProblemTypes.VersionConflict,
            Title = "If-Match does not name the current version.",
            Status = StatusCodes.Status412PreconditionFailed,
            Detail = result.Detail,
            Extensions = { ["field"] = "If-Match", ["rule"] = "version.if-match", ["currentVersion"] = result.CurrentVersion },
        },
        SharingFailure.PreconditionRequired => new ProblemDetails
        {
            Type = ProblemTypes.VersionConflict,
            Title = "Say which version you change.",
            Status = StatusCodes.Status428PreconditionRequired,
            Detail = result.Detail,
            Extensions = { ["field"] = "If-Match", ["rule"] = "version.required", ["currentVersion"] = result.CurrentVersion },
        },
        SharingFailure.Refused => Problem.Forbidden(result.Violations[0].Rule, result.Violations[0].Message),
        SharingFailure.QuotaExceeded => result.Quota!.ToProblem(),
        SharingFailure.RateLimited => result.RateLimit!.ToProblem(),
        SharingFailure.Unavailable => new ProblemDetails
        {
            Type = ProblemTypes.Busy,
            Title = "The service cannot answer now.",
            Status = StatusCodes.Status503ServiceUnavailable,
            Detail = result.Detail,
            Extensions = { ["rule"] = "service.unavailable", ["retryAfterSeconds"] = result.RetryAfterSeconds },
        },
        _ => throw new InvalidOperationException("A successful result has no problem."),
    };
}
