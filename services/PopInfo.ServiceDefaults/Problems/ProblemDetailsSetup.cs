using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace PopInfo.ServiceDefaults.Problems;

internal static class ProblemDetailsSetup
{
    public static IServiceCollection AddPlatformProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            ctx.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.Id ?? ctx.HttpContext.TraceIdentifier);
            // A problem that says when to try again says it in the header too, however the endpoint returned it.
            if (ctx.ProblemDetails.Extensions.TryGetValue("retryAfterSeconds", out var seconds) && seconds is not null
                && !ctx.HttpContext.Response.HasStarted && ctx.HttpContext.Response.Headers.RetryAfter.Count == 0)
            {
                ctx.HttpContext.Response.Headers.RetryAfter = Convert.ToString(seconds, System.Globalization.CultureInfo.InvariantCulture);
            }
        });
        services.AddExceptionHandler<MalformedRequestHandler>();
        // Let unreadable bodies reach MalformedRequestHandler as exceptions instead of a bare 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}

/// <summary>
/// A body that is not valid JSON, or a value of the wrong type ("birthDate": "2020-13-45"), fails in
/// model binding before any validator runs; this names the field (from the JSON path) and the rule.
/// </summary>
internal sealed class MalformedRequestHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        ProblemDetails problem;
        if (bad.InnerException is JsonException poisoned && TextViolations.IsLoneSurrogateEscape(poisoned.InnerException))
        {
            // Well-formed JSON, but not text: answered by the free-text rule like any other poisoned value.
            problem = Problem.Validation([TextViolations.LoneSurrogateEscape(FieldFromJsonPath(poisoned.Path))]);
        }
        else if (bad.InnerException is JsonException json)
        {
            var field = FieldFromJsonPath(json.Path);
            problem = Problem.Validation(field, "json.format", $"The value of '{field}' is not {Expected(json.Message)}.");
            problem.Type = ProblemTypes.MalformedRequest;
        }
        else
        {
            problem = new ProblemDetails
            {
                Type = ProblemTypes.MalformedRequest,
                Title = "The request could not be read.",
                Status = bad.StatusCode,
                Detail = bad.Message,
            };
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    // Says what the JSON reader wanted, in words, from the type named in its message.
    private static string Expected(string message) => message switch
    {
        _ when message.Contains("DateOnly", StringComparison.Ordinal) => "a date written YYYY-MM-DD",
        _ when message.Contains("DateTimeOffset", StringComparison.Ordinal) => "a time written as ISO 8601, e.g. 2024-05-01T08:00:00+08:00",
        _ when message.Contains("Guid", StringComparison.Ordinal) => "a GUID",
        _ when message.Contains("Int", StringComparison.Ordinal) => "a whole number",
        _ when message.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when message.Contains("String", StringComparison.Ordinal) => "a string",
        _ => "valid JSON of the expected type",
    };

    // "$.child.birthDate" -> "child.birthDate"; "$" or null -> "body".
    private static string FieldFromJsonPath(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');
}
