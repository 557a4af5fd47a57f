using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Registry.Quality;

/// <summary>The data-quality rules' counts and lists (docs/data-quality.md).</summary>
public static class QualityApi
{
    public static IEndpointRouteBuilder MapQualityApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/quality").WithTags("Data quality").WithGroupName(RegistryModule.Name);
        api.MapGet("/counts", GetQualityCounts).RequireScope(PlatformScopes.RegistryQuality).WithName("GetQualityCounts")
            .WithSummary("Counts per data-quality rule of a region (?region=, default the city) and of each region one level down. No person.");
        // A list of persons: counted per caller like the other reads of persons, and audited.
        api.MapGet("/issues", GetQualityIssues).RequireScope(PlatformScopes.RegistryQualityIssues)
            .RequireRateLimit(RegistryModule.Name, RegistryModule.LookUps).WithName("GetQualityIssues")
            .WithSummary($"The persons the rules flag in one community (?community=, ?rule=, ?offset=, ?limit= 1–{QualityReport.MaxLimit}, default {QualityReport.DefaultLimit}): its collector and its street's supervisor only. Audited.");
        return app;
    }

    public static async Task<Results<Ok<QualityCounts>, ProblemHttpResult>> GetQualityCounts(
        [FromQuery] string? region, QualityReport report, CancellationToken ct)
    {
        var outcome = await report.CountsAsync(region, ct);
        return outcome.Value is { } counts ? TypedResults.Ok(counts) : outcome.Refusal!.ToTypedResult();
    }

    public static async Task<Results<Ok<QualityIssues>, ProblemHttpResult>> GetQualityIssues(
        [FromQuery] string? community, [FromQuery] string? rule, [AsParameters] OffsetPaging paging,
        ClaimsPrincipal user, QualityReport report, CancellationToken ct)
    {
        var outcome = await report.IssuesAsync(user, community, rule, paging, ct);
        return outcome.Value is { } issues ? TypedResults.Ok(issues) : outcome.Refusal!.ToTypedResult();
    }
}
