using Microsoft.AspNetCore.Http.HttpResults;
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

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> PrintReceiptAsync(
        Guid formId, PaperService paper, RegistryClient registry, HttpContext http, CancellationToken ct)
    {
        var result = await paper.ReceiptAsync(DeskUser.From(http), formId, registry, ct);
        return result.Value is { } receipt ? Printed(http, ReceiptPage.Render(receipt)) : result.Refusal!.ToTypedResult();
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> PrintDaySheetAsync(
        string communityCode, string day, PaperService paper, HttpContext http, CancellationToken ct)
    {
        var result = await paper.DaySheetAsync(DeskUser.From(http), communityCode, day, ct);
        return result.Value is { } sheet ? Printed(http, DaySheetPage.Render(sheet)) : result.Refusal!.ToTypedResult();
    }

    /// <summary>
    /// The page as the answer: under its policy, never kept by the browser or a proxy (it names a person), never framed,
    /// sniffed or followed by a referrer.
    /// </summary>
    private static ContentHttpResult Printed(HttpContext http, PrintDocument document)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = document.ContentSecurityPolicy;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Content(document.Html, "text/html; charset=utf-8");
    }
}
