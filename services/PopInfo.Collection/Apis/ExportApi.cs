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

        api.MapGet("/communities/{communityCode}/days/{day}/forms.xlsx", async (string communityCode, string day, DayExport export, HttpContext http, CancellationToken ct) =>
            {
                var (file, problem) = await export.ExportAsync(DeskUser.From(http), communityCode, day, ct);
                return problem is null ? Results.File(file!.Content, DayExport.ContentType, file.FileName) : problem.ToResult();
            })
            .WithName("ExportDayForms").WithSummary("The forms of a community's day as an .xlsx workbook (docs/collection-csv.md): identity numbers as text, cells that begin like a formula neutralised; audited (forms.export).")
            .Produces<byte[]>(200, DayExport.ContentType).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        return app;
    }
}
