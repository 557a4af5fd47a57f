using PopInfo.Collection.Accounts;
using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Paper;

/// <summary>
/// Paper where offices need paper: a receipt per accepted form and the day sheet of the 一日一清 sign-off, as self-contained
/// pages to print from the browser (Ctrl+P), under the desk's session. Not in the OpenAPI document: they answer HTML for
/// people, problems (JSON) when refused. The desk page opens them in a new tab (docs/desk.md).
/// </summary>
public static class PaperPages
{
    public const string Prefix = "/desk/print";

    public static IEndpointRouteBuilder MapPaper(this IEndpointRouteBuilder app)
    {
        var print = app.MapGroup(Prefix).RequireAuthorization(DeskAuthentication.DeskPolicy).ExcludeFromDescription();
        print.MapGet("/receipts/{formId:guid}", PrintReceiptAsync).WithName("PrintReceipt");
        print.MapGet("/days/{communityCode}/{day}", PrintDaySheetAsync).WithName("PrintDaySheet");
        return app;
    }

    private static async Task<IResult> PrintReceiptAsync(Guid formId, PaperService paper, RegistryClient registry, HttpContext http, CancellationToken ct)
    {
        var result = await paper.ReceiptAsync(DeskUser.From(http), formId, registry, ct);
        return result.Value is { } receipt ? PrintHtml.Result(http, ReceiptPage.Render(receipt)) : result.Refusal!.ToResult();
    }

    private static async Task<IResult> PrintDaySheetAsync(string communityCode, string day, PaperService paper, HttpContext http, CancellationToken ct)
    {
        var result = await paper.DaySheetAsync(DeskUser.From(http), communityCode, day, ct);
        return result.Value is { } sheet ? PrintHtml.Result(http, DaySheetPage.Render(sheet)) : result.Refusal!.ToResult();
    }
}
