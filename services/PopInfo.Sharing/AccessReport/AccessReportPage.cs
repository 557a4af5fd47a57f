using System.Text.Json;
using PopInfo.Domain.Sharing;
using PopInfo.ServiceDefaults.Pages;

namespace PopInfo.Sharing.AccessReport;

/// <summary>
/// The printable access report at <c>/access-report</c> (docs/sharing.md): static HTML, CSS (with a print stylesheet)
/// and JavaScript embedded in the assembly (AccessReport/*.html, *.css, *.js), served as every embedded page is, on the
/// sharing port only. No script is inline and nothing comes from another host; the person's number goes in a POST body.
/// </summary>
public static class AccessReportPage
{
    public const string Path = "/access-report";

    private const string ResourcePrefix = "access-report/";

    // The purposes' names in both languages, made at start from the domain (the page names a purpose in either language).
    private static readonly EmbeddedPage Page = new(typeof(AccessReportPage).Assembly, ResourcePrefix, new Dictionary<string, (byte[], string)>
    {
        ["purposes.json"] = (JsonSerializer.SerializeToUtf8Bytes(SharingPurposes.All.ToDictionary(p => p.Code, p => new { zh = p.NameZh, en = p.NameEn })),
            "application/json"),
    });

    /// <summary>
    /// The page and its files under <see cref="EmbeddedPage.SignInPagePolicy"/>: everything from this service only; forms
    /// (signing out) to it and on to the identity provider.
    /// </summary>
    public static IEndpointRouteBuilder MapAccessReportPage(this IEndpointRouteBuilder app) =>
        Page.MapSignInPage(app, Path, services => AccessReportAuthentication.Options(services).Authority!);
}
