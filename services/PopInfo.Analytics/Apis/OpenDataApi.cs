using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using PopInfo.Analytics.Engine;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Analytics.Apis;

/// <summary>
/// Open data: the configured tables (<c>PopInfo:Analytics:OpenData</c>), without sign-in, with the same protection as
/// every other answer — a published cell has the same value here as in a planner's table of the same people.
/// </summary>
public static class OpenDataApi
{
    public static IEndpointRouteBuilder MapOpenDataApi(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/open/v1/tables").WithTags("Open data").WithGroupName(AnalyticsModule.Name).AllowAnonymous()
            .RequireRateLimit(AnalyticsModule.Name, AnalyticsModule.OpenDataRequests);
        open.MapGet("", ListOpenTables).WithName("ListOpenDataTables").WithSummary("The names of the published tables and what each is.");
        open.MapGet("/{name}", GetOpenTable).WithName("GetOpenDataTable")
            .WithSummary("A published table, today or as of a past date ('asOf'); protected like every table.").ProducesProblem(StatusCodes.Status404NotFound);
        open.MapGet("/{name}/csv", GetOpenTableCsv).WithName("DownloadOpenDataTable")
            .WithSummary("A published table as CSV (UTF-8 with BOM).").ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static Ok<IReadOnlyDictionary<string, string>> ListOpenTables(IOptions<AnalyticsOptions> options) =>
        TypedResults.Ok<IReadOnlyDictionary<string, string>>(options.Value.OpenData);

    public static async Task<Results<Ok<TableResult>, ProblemHttpResult>> GetOpenTable(
        string name, string? asOf, string? region, TableService tables, QueryLog log, IOptions<AnalyticsOptions> options, CancellationToken ct)
    {
        var result = Build(name, asOf, region, tables, options.Value);
        if (result is null)
        {
            return Refusal.NotFound($"No published table is called '{(name.Length > 40 ? name[..40] : name)}'.").ToTypedResult();
        }

        await log.WriteAsync(null, "open", $"{name}?asOf={asOf}&region={region}", ct);
        return result.Succeeded ? TypedResults.Ok(result.Value) : result.Refusal!.ToTypedResult();
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetOpenTableCsv(
        string name, string? asOf, string? region, TableService tables, QueryLog log, IOptions<AnalyticsOptions> options, CancellationToken ct)
    {
        var result = Build(name, asOf, region, tables, options.Value);
        if (result is null)
        {
            return Refusal.NotFound($"No published table is called '{(name.Length > 40 ? name[..40] : name)}'.").ToTypedResult();
        }

        await log.WriteAsync(null, "open.csv", $"{name}?asOf={asOf}&region={region}", ct);
        return result.Succeeded
            ? TypedResults.File(TableCsv.Write(result.Value!), "text/csv; charset=utf-8", $"popinfo-{name}.csv")
            : result.Refusal!.ToTypedResult();
    }

    // A published table: its configured rows, columns and filters; the caller chooses only the date and the region.
    private static Result<TableResult>? Build(string name, string? asOf, string? region, TableService tables, AnalyticsOptions options)
    {
        if (!options.OpenData.TryGetValue(name, out var query))
        {
            return null;
        }

        var q = QueryHelpers.ParseQuery(query.StartsWith('?') ? query : "?" + query);
        return tables.Build(new TableRequest(
            q.TryGetValue("rows", out var rows) ? rows.ToString() : null,
            q.TryGetValue("columns", out var columns) ? columns.ToString() : null,
            q.TryGetValue("filter", out var filters) ? [.. filters.OfType<string>()] : null,
            region ?? (q.TryGetValue("region", out var r) ? r.ToString() : null),
            asOf,
            null));
    }
}
