using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.ServiceDefaults.Audit;

/// <summary>
/// A service's side of the audit search: its entries for checked criteria (the search audited in the service before the
/// answer leaves) and its hash-chained audit tables verified. Each service registers one, keyed by its name
/// (<see cref="AuditSearchEndpoints.AddAuditSearchSource{TSource}"/>): the embedded host serves every service from one container.
/// </summary>
public interface IAuditSearchSource
{
    Task<AuditSearchPage> SearchAsync(AuditSearchCriteria criteria, ClaimsPrincipal user, string? remoteAddress, CancellationToken ct);

    Task<AuditChainsAnswer> VerifyChainsAsync(CancellationToken ct);
}

/// <summary>What verifying one chained audit table found: intact, or the first entry that breaks it.</summary>
public sealed record AuditChainView(string Table, bool Intact, long ChainedRows, long RowsBeforeTheChain, long LastId, long? BrokenAt, string? Problem);

/// <summary>A service's chained audit tables, each verified by the service itself (<see cref="AuditTable.VerifyAsync"/>).</summary>
public sealed record AuditChainsAnswer(string Service, IReadOnlyList<AuditChainView> Chains);

public static class AuditChains
{
    /// <summary>Walks each table's chain (what <c>popinfo-audit verify</c> does) on one connection of the service's database.</summary>
    public static async Task<AuditChainsAnswer> VerifyAsync(string service, ServiceDatabase database, IReadOnlyList<AuditTable> tables, CancellationToken ct) =>
        new(service, [.. (await AuditTable.VerifyAllAsync(database, tables, ct)).Select(report =>
            new AuditChainView(report.Table, report.Intact, report.ChainedRows, report.RowsBeforeTheChain, report.LastId, report.BrokenAt, report.Problem))]);
}

/// <summary>
/// The two endpoints of a source, the same at every service: <c>POST /api/v1/audit/search</c> and
/// <c>GET /api/v1/audit/chains</c>, for a token with the service's audit-search scope (the monitoring service's client).
/// </summary>
public static class AuditSearchEndpoints
{
    /// <summary>Registers the service's source, keyed by the service's name.</summary>
    public static IServiceCollection AddAuditSearchSource<TSource>(this IServiceCollection services, string service)
        where TSource : class, IAuditSearchSource =>
        services.AddKeyedSingleton<IAuditSearchSource, TSource>(service);

    public static IEndpointRouteBuilder MapAuditSearchSource(this IEndpointRouteBuilder app, string service, string scope)
    {
        var api = app.MapGroup("/api/v1/audit").WithTags("Audit search").WithGroupName(service).RequireScope(scope)
            .WithMetadata(new AuditSourceName(service));
        api.MapPost("/search", SearchAuditTrail).WithName($"{service}-audit-search")
            .WithSummary("The service's audit entries by person (in the body), actor, action and time range, oldest first, a page after 'after'. Audited.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/chains", VerifyAuditChains).WithName($"{service}-audit-chains")
            .WithSummary("Each hash-chained audit table of the service verified: intact, or the first entry that breaks it.");
        return app;
    }

    public static async Task<Results<Ok<AuditSearchPage>, ProblemHttpResult>> SearchAuditTrail(
        AuditSearchRequest body, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var criteria = AuditSearchCheck.Of(body, user);
        return criteria.Refusal is { } refusal
            ? refusal.ToTypedResult()
            : TypedResults.Ok(await SourceOf(http).SearchAsync(criteria.Value!, user, http.Connection.RemoteIpAddress?.ToString(), ct));
    }

    public static async Task<Ok<AuditChainsAnswer>> VerifyAuditChains(HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await SourceOf(http).VerifyChainsAsync(ct));

    private static IAuditSearchSource SourceOf(HttpContext http) =>
        http.RequestServices.GetRequiredKeyedService<IAuditSearchSource>(http.GetEndpoint()!.Metadata.GetRequiredMetadata<AuditSourceName>().Service);

    /// <summary>Which service's source an endpoint asks.</summary>
    public sealed record AuditSourceName(string Service);
}
