using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PopInfo.Analytics.Dashboard;
using PopInfo.Analytics.Engine;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Analytics.Apis;

/// <summary>Planners' tables, indicators and series (scope <c>analytics.read</c>); every answer protected and logged.</summary>
public static class TablesApi
{
    public static IEndpointRouteBuilder MapTablesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Tables").WithGroupName(AnalyticsModule.Name).RequireAnalyticsReader()
            .RequireRateLimit(AnalyticsModule.Name, AnalyticsModule.TableRequests).WithServerTiming();
        api.MapGet("/tables", GetTable).WithName("GetPopulationTable")
            .WithSummary("Any table: rows and columns from the dimensions (at most 4), filters 'dimension:code,code', a region, as of a date, on the occurred or recorded basis; every cell and total protected.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/tables/csv", GetTableCsv).WithName("DownloadPopulationTable")
            .WithSummary("The same table as CSV (UTF-8 with BOM, for Excel).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/indicators", GetIndicators).WithName("GetPopulationIndicators")
            .WithSummary("Population, pyramid, age-group shares, dependency and sex ratios, average household size of a region on a date.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/indicators/comparison", CompareIndicators).WithName("ComparePopulationIndicators")
            .WithSummary("The indicators of several regions ('regions', comma-separated, at most 10) on several dates ('dates', at most 5): one answer per region and date, each protected like any other.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/series", GetSeries).WithName("GetPopulationSeries")
            .WithSummary("Per month from 'from' to 'to' (yyyy-MM): births, deaths, natural growth rate, moves and migrants' arrivals and departures with their origins.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/dimensions", GetDimensions).WithName("ListTableDimensions")
            .WithSummary("The dimensions a table can have and their categories.");
        return app;
    }

    public static async Task<Results<Ok<TableResult>, ProblemHttpResult>> GetTable(
        ClaimsPrincipal user, TableService tables, QueryLog log, HttpRequest request,
        [FromQuery] string? rows, [FromQuery] string? columns, [FromQuery] string[]? filter, [FromQuery] string? region,
        [FromQuery] string? asOf, [FromQuery] string? basis, CancellationToken ct)
    {
        var result = await log.LoggedAsync(user, "table", request.QueryString.Value ?? "", () => tables.Build(new TableRequest(rows, columns, filter, region, asOf, basis)), ct);
        return result.Succeeded ? TypedResults.Ok(result.Value) : result.Refusal!.ToTypedResult();
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetTableCsv(
        ClaimsPrincipal user, TableService tables, QueryLog log, HttpRequest request,
        [FromQuery] string? rows, [FromQuery] string? columns, [FromQuery] string[]? filter, [FromQuery] string? region,
        [FromQuery] string? asOf, [FromQuery] string? basis, CancellationToken ct)
    {
        var result = await log.LoggedAsync(user, "table.csv", request.QueryString.Value ?? "", () => tables.Build(new TableRequest(rows, columns, filter, region, asOf, basis)), ct);
        return result.Succeeded
            ? TypedResults.File(TableCsv.Write(result.Value!), "text/csv; charset=utf-8", $"popinfo-{result.Value!.Region.Code}-{result.Value.AsOf:yyyyMMdd}.csv")
            : result.Refusal!.ToTypedResult();
    }

    public static async Task<Results<Ok<IndicatorsResult>, ProblemHttpResult>> GetIndicators(
        ClaimsPrincipal user, IndicatorService indicators, QueryLog log, HttpRequest request,
        [FromQuery] string? region, [FromQuery] string? asOf, [FromQuery] string? basis, CancellationToken ct)
    {
        var result = await log.LoggedAsync(user, "indicators", request.QueryString.Value ?? "", () => indicators.Build(region, asOf, basis), ct);
        return result.Succeeded ? TypedResults.Ok(result.Value) : result.Refusal!.ToTypedResult();
    }

    public static async Task<Results<Ok<IReadOnlyList<IndicatorsResult>>, ProblemHttpResult>> CompareIndicators(
        ClaimsPrincipal user, IndicatorService indicators, QueryLog log, HttpRequest request,
        [FromQuery] string? regions, [FromQuery] string? dates, [FromQuery] string? basis, CancellationToken ct)
    {
        var result = await log.LoggedAsync(user, "indicators.comparison", request.QueryString.Value ?? "", () => indicators.Compare(regions, dates, basis), ct);
        return result.Succeeded ? TypedResults.Ok(result.Value) : result.Refusal!.ToTypedResult();
    }

    public static async Task<Results<Ok<SeriesResult>, ProblemHttpResult>> GetSeries(
        ClaimsPrincipal user, SeriesService series, QueryLog log, HttpRequest request,
        [FromQuery] string? region, [FromQuery] string? from, [FromQuery] string? to, CancellationToken ct)
    {
        var result = await log.LoggedAsync(user, "series", request.QueryString.Value ?? "", () => series.Build(region, from, to), ct);
        return result.Succeeded ? TypedResults.Ok(result.Value) : result.Refusal!.ToTypedResult();
    }

    public static Ok<IReadOnlyList<DimensionHeader>> GetDimensions(TableService tables) => TypedResults.Ok(tables.DimensionCatalogue());
}
