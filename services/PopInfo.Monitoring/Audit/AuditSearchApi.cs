using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Monitoring.Dashboard;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Monitoring.Audit;

/// <summary>
/// The auditors' audit search and the services' chains: <c>POST /api/v1/audit/search</c>, <c>GET /api/v1/audit/chains</c>
/// (docs/monitoring.md, "Audit search"), for a person's token of role <c>auditor</c> or an auditor's session at the dashboard
/// (operators are not auditors).
/// </summary>
public static class AuditSearchApi
{
    /// <summary>Registers the audit search: the sources' HTTP clients, each with the monitoring client's token for that source's scope.</summary>
    public static IHostApplicationBuilder AddAuditSearch(this IHostApplicationBuilder builder)
    {
        var settings = MonitoringOptions.From(builder.Configuration);
        // No retries (the defaults' pipeline retries 5xx for 30 s): each attempt is an audited question at the source, and a
        // source that does not answer is named in the answer instead. RemoveAllResilienceHandlers is marked experimental.
#pragma warning disable EXTEXP0001
        foreach (var (service, scope) in AuditSources.All)
        {
            var address = settings.AddressOf(service);
            builder.Services.AddHttpClient(AuditSources.ClientName(service), http =>
                {
                    http.BaseAddress = address;
                    http.Timeout = AuditSources.Timeout + TimeSpan.FromSeconds(5);
                })
                .RemoveAllResilienceHandlers().AddServiceToken(MonitoringModule.Name, scope);
        }
#pragma warning restore EXTEXP0001

        builder.Services.AddSingleton<AuditSources>();
        builder.Services.AddSingleton<AuditSearchService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAuditSearchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit").WithTags("Audit search").WithGroupName(MonitoringModule.Name).RequireMonitorAuditor();
        group.MapPost("/search", SearchAuditTrails).WithName("monitoring-audit-search")
            .WithSummary("Who read or changed whom, when and why, across the registry, the desk, the exchange and the sharing service, oldest first; a source that does not answer is named.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/chains", VerifyAuditChains).WithName("monitoring-audit-chains")
            .WithSummary("Each service's hash-chained audit tables, verified by the service: intact, or the first entry that breaks it.");
        return app;
    }

    public static async Task<Results<Ok<AuditSearchAnswer>, ProblemHttpResult>> SearchAuditTrails(
        AuditSearchBody body, ClaimsPrincipal user, AuditSearchService search, CancellationToken ct)
    {
        var result = await search.SearchAsync(TokenCaller.From(user).Subject, body, ct);
        return result.Value is { } answer ? TypedResults.Ok(answer) : result.Refusal!.ToTypedResult();
    }

    public static async Task<Ok<AuditChainsReport>> VerifyAuditChains(AuditSearchService search, CancellationToken ct) =>
        TypedResults.Ok(await search.ChainsAsync(ct));
}
