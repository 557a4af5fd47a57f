using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Collection.Accounts;
using PopInfo.Domain.Codes;
using PopInfo.ServiceDefaults.Pages;

// The namespace of CollectionModule, so that MapCollection calls MapDesk without another using.
namespace PopInfo.Collection;

/// <summary>
/// The collector's desk page at <c>/desk</c>: static HTML, CSS and JavaScript (ES modules under <c>js/</c>) embedded in
/// the assembly — every file under Desk/ and its sub-folders but the C#, by one rule in the project file — and the national
/// code lists its selects offer (<c>/desk/codes.json</c>), served as every embedded page is (ServiceDefaults'
/// <see cref="EmbeddedPage"/>, content type by extension: <c>.js</c> as <c>text/javascript</c>): on the collection's port
/// only, <c>/desk/{path}</c> for the file at Desk/{path}. No script or style is inline and nothing is loaded from another
/// host: the page runs under <c>default-src 'self'; script-src 'self'</c> (module scripts included). The HTML names its
/// files by version (<c>/desk/_v/{version}/…</c>, kept by the browser without asking again) and preloads every module at
/// once: a reload asks the server for the HTML and the API only.
/// </summary>
public static class DeskPage
{
    public const string Path = "/desk";

    private const string ResourcePrefix = "desk/";

    /// <summary>Forms may go to the desk and, for signing in and out, on to the identity provider (form-action covers redirects).</summary>
    private static string ContentSecurityPolicy(Uri provider) =>
        $"default-src 'self'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'self' {provider.GetLeftPart(UriPartial.Authority)}; frame-ancestors 'none'; object-src 'none'";

    private static readonly EmbeddedPage Page = new(typeof(DeskPage).Assembly, ResourcePrefix,
        new Dictionary<string, (byte[], string)> { ["codes.json"] = (CodeLists(), "application/json; charset=utf-8") }, versionedBase: Path);

    public static IEndpointRouteBuilder MapDesk(this IEndpointRouteBuilder app)
    {
        // No prefix: a group's own path mapped as "" would be written /desk/ (a route that matches the same, named otherwise).
        var desk = app.MapGroup("").ExcludeFromDescription();
        // Routing ignores a trailing slash: this answers /desk/ too.
        desk.MapGet(Path, ServeDeskPage);
        // A catch-all: sub-folders (js/…) too. Only embedded files answer (a dictionary look-up), so no path leaves Desk/.
        desk.MapGet(Path + "/{**file}", ServeDeskFile);
        return app;
    }

    public static Results<FileContentHttpResult, NotFound, StatusCodeHttpResult> ServeDeskPage(HttpContext http) => ServeDeskFile("index.html", http);

    public static Results<FileContentHttpResult, NotFound, StatusCodeHttpResult> ServeDeskFile(string file, HttpContext http) =>
        Page.Serve(http, file, ContentSecurityPolicy(DeskAuthentication.Options(http.RequestServices).Authority!));

    /// <summary>The code lists of the form fields that take a national code, by field name: code, Chinese and English name.</summary>
    private static byte[] CodeLists()
    {
        static object[] Entries(CodeList list) => [.. list.Entries.Select(e => new { e.Code, Zh = e.ChineseName, En = e.EnglishName })];
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object[]>
        {
            ["ethnicity"] = Entries(NationalCodes.Ethnicity),
            ["maritalStatus"] = Entries(NationalCodes.MaritalStatus),
            ["education"] = Entries(NationalCodes.Education),
            ["relationshipToHead"] = Entries(NationalCodes.FamilyRelationship),
        }, Contracts.Json.Options);
    }
}
