using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Registry.Commands;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Apis;

/// <summary>A command's answer over HTTP: the applied change as stored, or the refusal's problem (<see cref="RefusalProblems"/>).</summary>
internal static class CommandResults
{
    public static Results<StoredAnswerResult, ProblemHttpResult> ToHttpResult(this Result<CommandAnswer> result, string locationPrefix) =>
        result.Refusal is { } refusal
            ? refusal.ToTypedResult()
            : new StoredAnswerResult(result.Value!, $"{locationPrefix}/{result.Value!.SubjectId}");
}

/// <summary>
/// The stored JSON of an applied command written as it is, so that a repeat of the command id gets the same bytes: 201 with
/// the subject's <c>Location</c> when the command created it, 200 otherwise.
/// </summary>
public sealed class StoredAnswerResult(CommandAnswer answer, string location) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int? StatusCode => answer.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK;

    public string ContentType => "application/json; charset=utf-8";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode!.Value;
        httpContext.Response.ContentType = ContentType;
        if (answer.Created && answer.SubjectId is not null)
        {
            httpContext.Response.Headers.Location = location;
        }

        await httpContext.Response.WriteAsync(answer.Json, Encoding.UTF8);
    }
}
