using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Sharing.Grants;

/// <summary>
/// Grants: administrators (<c>sharing.admin</c>) list, read, put, suspend, activate and delete them and read their change
/// trail; a department (<c>sharing.read</c>) reads its own grant and today's quota use, both named by its token's client.
/// </summary>
public static class GrantsApi
{
    public static IEndpointRouteBuilder MapGrantsApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/grants").WithTags("Grants").WithGroupName(SharingModule.Name).RequireScope(PlatformScopes.SharingAdmin);
        admin.MapGet("", ListGrants).WithName("ListSharingGrants").WithSummary("Every department's grant.");
        admin.MapGet("/{clientId}", GetGrant).WithName("GetSharingGrant")
            .WithSummary("One department's grant; its ETag is the version to send back in If-Match.");
        admin.MapPut("/{clientId}", PutGrant).WithName("PutSharingGrant")
            .WithSummary("Create or replace a department's grant. Replacing needs If-Match (412 when stale) or expectedVersion (409 when stale); 428 without either.");
        admin.MapPost("/{clientId}/suspend", SuspendGrant).WithName("SuspendSharingGrant")
            .WithSummary("Suspend a grant: every operation of the department is refused; the grant stays. If-Match optional.");
        admin.MapPost("/{clientId}/activate", ActivateGrant).WithName("ActivateSharingGrant")
            .WithSummary("Activate a suspended grant again. If-Match optional.");
        admin.MapDelete("/{clientId}", DeleteGrant).WithName("DeleteSharingGrant")
            .WithSummary("Remove a grant (its change trail stays). Needs If-Match or ?expectedVersion=.");
        admin.MapGet("/{clientId}/changes", ListGrantChanges).WithName("ListSharingGrantChanges")
            .WithSummary("Every change to the grant, oldest first: who, when, from where, the grant before and after.");

        var own = app.MapGroup("/api/v1").WithTags("Grants").WithGroupName(SharingModule.Name).RequireScope(PlatformScopes.SharingRead);
        own.MapGet("/grant", GetOwnGrant).WithName("GetOwnSharingGrant")
            .WithSummary("The calling department's grant: operations, fields and masks, regions, purposes, limits.");
        own.MapGet("/usage", GetOwnUsage).WithName("GetOwnSharingUsage")
            .WithSummary("The calling department's quota use today (China Standard Time): used, quota, remaining, when it resets.");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<GrantView>>> ListGrants(GrantStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(ct));

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> GetGrant(string clientId, GrantStore store, HttpResponse response, CancellationToken ct) =>
        Answer(await store.GetAsync(clientId, ct) is { } grant ? grant : Refusal.NotFound($"There is no grant for the client '{clientId}'."), response);

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> PutGrant(
        string clientId, GrantRequest body, [FromHeader(Name = "If-Match")] string? ifMatch, GrantService grants, HttpContext http, CancellationToken ct) =>
        Answer(await grants.PutAsync(SharingCaller.From(http), clientId, body, GrantVersionCheck.From(ifMatch, body.ExpectedVersion), ct), http.Response);

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> SuspendGrant(
        string clientId, [FromHeader(Name = "If-Match")] string? ifMatch, GrantService grants, HttpContext http, CancellationToken ct) =>
        Answer(await grants.SetStatusAsync(SharingCaller.From(http), clientId, active: false, GrantVersionCheck.From(ifMatch, null), ct), http.Response);

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> ActivateGrant(
        string clientId, [FromHeader(Name = "If-Match")] string? ifMatch, GrantService grants, HttpContext http, CancellationToken ct) =>
        Answer(await grants.SetStatusAsync(SharingCaller.From(http), clientId, active: true, GrantVersionCheck.From(ifMatch, null), ct), http.Response);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteGrant(
        string clientId, [FromHeader(Name = "If-Match")] string? ifMatch, [FromQuery] int? expectedVersion, GrantService grants, HttpContext http, CancellationToken ct)
    {
        var result = await grants.DeleteAsync(SharingCaller.From(http), clientId, GrantVersionCheck.From(ifMatch, expectedVersion), ct);
        return result.Succeeded ? TypedResults.NoContent() : result.Refusal!.ToTypedResult();
    }

    public static async Task<Results<Ok<IReadOnlyList<GrantChange>>, ProblemHttpResult>> ListGrantChanges(
        string clientId, GrantStore store, CancellationToken ct, [FromQuery] long after = 0, [FromQuery] int limit = 100) =>
        GrantService.IsClientId(clientId)
            ? TypedResults.Ok(await store.ChangesAsync(clientId, after, Math.Clamp(limit, 1, 1000), ct))
            : TypedResults.Problem(Problem.Validation("clientId", "grant.client-id", "Not a client id."));

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> GetOwnGrant(HttpContext http, GrantStore store, CancellationToken ct)
    {
        var caller = SharingCaller.From(http);
        return Answer(await store.GetAsync(caller.ClientId, ct) is { } grant
            ? grant
            : Refusal.NotFound($"There is no grant for your client '{caller.ClientId}': ask the platform's administrator."), http.Response);
    }

    public static async Task<Results<Ok<QuotaUsage>, ProblemHttpResult>> GetOwnUsage(HttpContext http, DailyQuota quota, CancellationToken ct)
    {
        var caller = SharingCaller.From(http);
        return await quota.UsageAsync(caller.ClientId, ct) is { } usage
            ? TypedResults.Ok(usage)
            : TypedResults.Problem(Problem.NotFound($"There is no grant for your client '{caller.ClientId}': ask the platform's administrator."));
    }

    /// <summary>The grant with its ETag, or the problem.</summary>
    private static Results<Ok<GrantView>, ProblemHttpResult> Answer(Result<GrantView> result, HttpResponse response)
    {
        if (!result.Succeeded)
        {
            return result.Refusal!.ToTypedResult();
        }

        response.Headers.ETag = GrantVersionCheck.ETag(result.Value!.Version);
        return TypedResults.Ok(result.Value);
    }
}
