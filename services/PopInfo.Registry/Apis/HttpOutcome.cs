using System.Text;
using PopInfo.Registry.Commands;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Apis;

internal static class HttpOutcome
{
    /// <summary>The stored answer as-is (so a repeated command gets the same bytes), or the problem.</summary>
    public static IResult ToHttpResult(this CommandOutcome outcome, string? locationPrefix = null)
    {
        if (outcome.Problem is { Extensions: var extensions } && extensions.TryGetValue("retryAfterSeconds", out var retryAfter))
        {
            return new RetryAfterResult(outcome.Problem.ToResult(), $"{retryAfter}");
        }

        if (outcome.Problem is not null)
        {
            return outcome.Problem.ToResult();
        }

        return new StoredJsonResult(outcome.StatusCode, outcome.Json!,
            outcome.StatusCode == StatusCodes.Status201Created && locationPrefix is not null ? $"{locationPrefix}/{outcome.PersonId}" : null);
    }

    private sealed class RetryAfterResult(IResult problem, string seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds;
            return problem.ExecuteAsync(httpContext);
        }
    }

    private sealed class StoredJsonResult(int statusCode, string json, string? location) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            if (location is not null)
            {
                httpContext.Response.Headers.Location = location;
            }

            await httpContext.Response.WriteAsync(json, Encoding.UTF8);
        }
    }
}
