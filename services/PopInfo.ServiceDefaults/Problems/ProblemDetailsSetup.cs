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
        if (bad.InnerException is JsonException json)
        {
            problem = UnreadableJson.RefusalOf(json).ToProblem();
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
}
