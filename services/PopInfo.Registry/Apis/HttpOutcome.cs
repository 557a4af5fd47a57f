using System.Text;
using PopInfo.Registry.Commands;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Apis;

internal static class HttpOutcome
{
    /// <summary>The stored answer as-is (so a repeated command gets the same bytes), or the problem (with Retry-After when it says when).</summary>
    public static IResult ToHttpResult(this CommandOutcome outcome, string? locationPrefix = null)
    {
        if (outcome.Problem is not null)
        {
            return outcome.Problem.ToResult();
        }

        return new StoredJsonResult(outcome.StatusCode, outcome.Json!,
            outcome.StatusCode == StatusCodes.Status201Created && locationPrefix is not null ? $"{locationPrefix}/{outcome.PersonId}" : null);
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
