using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Registry.AccessLog;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Registry.Apis;

/// <summary>A person's access log for auditors: the registry's source of the access report (docs/registry.md).</summary>
public static class AccessLogApi
{
    public static IEndpointRouteBuilder MapAccessLogApi(this IEndpointRouteBuilder app)
    {
        // registry.audit only: it opens the read audit of one person, never the person's data (registry.read does not open it).
        var api = app.MapGroup("/api/v1/persons").WithTags("Access log").WithGroupName(RegistryModule.Name).RequireScope(PlatformScopes.RegistryAudit);
        api.MapPost("/access-log", ReadAccessLog).WithName("ReadPersonAccessLog")
            .WithSummary("Every recorded read of one person (personId or idNumber in the body), oldest first, a page after 'after'; and the person's change-log sequences. Audited.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<PersonAccessLog>, ProblemHttpResult>> ReadAccessLog(
        AccessLogRequest body, ClaimsPrincipal user, AccessLogQuery query, CancellationToken ct)
    {
        var outcome = await query.ReadAsync(body, user, ct);
        return outcome.Value is { } log ? TypedResults.Ok(log) : outcome.Refusal!.ToTypedResult();
    }
}
