using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Collection.Accounts;
using PopInfo.Collection.Workbooks;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Apis;

/// <summary>A community's day of forms as an .xlsx workbook, for those who may read the day's forms; every export audited.</summary>
public static class ExportApi
{
    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Daily clearing").WithGroupName(CollectionModule.Name).RequireAuthorization(DeskAuthentication.DeskPolicy);

        api.MapGet("/communities/{communityCode}/days/{day}/forms.xlsx", ExportDayForms)
            .WithName("ExportDayForms").WithSummary("The forms of a community's day as an .xlsx workbook (docs/collection-csv.md): identity numbers as text, cells that begin like a formula neutralised; audited (forms.export).")
            .Produces<byte[]>(200, DayExport.ContentType).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportDayForms(
        string communityCode, string day, DayExport export, HttpContext http, CancellationToken ct)
    {
        var result = await export.ExportAsync(DeskUser.From(http), communityCode, day, ct);
        return result.Value is { } file ? TypedResults.File(file.Content, DayExport.ContentType, file.FileName) : result.Refusal!.ToTypedResult();
    }
}
