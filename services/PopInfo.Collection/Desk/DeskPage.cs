using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;
using PopInfo.Domain.Codes;

using PopInfo.Collection.Accounts;

// The namespace of CollectionModule, so that MapCollection calls MapDesk without another using.
namespace PopInfo.Collection;

/// <summary>
/// The collector's desk page at <c>/desk</c>: static HTML, CSS and JavaScript embedded in the assembly
/// (Desk/*.html, *.css, *.js, *.svg) and the national code lists its selects offer (<c>/desk/codes.json</c>).
/// Plain endpoints rather than static-file middleware, so that in the embedded host the page answers on the
/// collection's port only. No script or style is inline and nothing is loaded from another host: the page
/// runs under <c>default-src 'self'</c>.
/// </summary>
public static class DeskPage
{
    public const string Path = "/desk";

    private const string ResourcePrefix = "desk/";

    /// <summary>Forms may go to the desk and, for signing in and out, on to the identity provider (form-action covers redirects).</summary>
    private static string ContentSecurityPolicy(Uri provider) =>
        $"default-src 'self'; base-uri 'none'; form-action 'self' {provider.GetLeftPart(UriPartial.Authority)}; frame-ancestors 'none'; object-src 'none'";

    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    private sealed record Asset(byte[] Content, string ContentType, string ETag);

    public static IEndpointRouteBuilder MapDesk(this IEndpointRouteBuilder app)
    {
        // Routing ignores a trailing slash: this answers /desk/ too.
        app.MapGet(Path, (HttpContext http) => Serve(http, "index.html")).ExcludeFromDescription();
        app.MapGet(Path + "/{file}", (string file, HttpContext http) => Serve(http, file)).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, string file)
    {
        if (!Assets.TryGetValue(file, out var asset))
        {
            return Results.NotFound();
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(http.RequestServices.GetRequiredService<DeskSignInOptions>().Authority!);
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            // The page itself is never kept: a signed-out browser's back button shows nothing stale.
            headers.CacheControl = "no-store";
            return Results.Bytes(asset.Content, asset.ContentType);
        }

        // Scripts, styles and code lists: kept, but checked again on each load (a new build is seen at once).
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        return http.Request.Headers.IfNoneMatch == asset.ETag
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DeskPage).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var file = name[ResourcePrefix.Length..];
            assets[file] = Create(buffer.ToArray(), ContentTypeOf(file));
        }

        if (!assets.ContainsKey("index.html"))
        {
            throw new InvalidOperationException("The desk page (Desk/index.html) is not embedded in the collection assembly.");
        }

        assets["codes.json"] = Create(CodeLists(), "application/json; charset=utf-8");
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static Asset Create(byte[] content, string contentType) =>
        new(content, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");

    private static string ContentTypeOf(string file) => System.IO.Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

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
