using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PopInfo.ServiceDefaults.Pages;

/// <summary>
/// A page of static HTML, CSS and JavaScript embedded in an assembly (resources named <c>{prefix}{file}</c>), served by
/// plain endpoints rather than static-file middleware, so that in the embedded host the page answers on its service's
/// port only. Every answer carries the page's Content-Security-Policy, nosniff, no framing and no referrer; the HTML is
/// never kept (a signed-out browser's back button shows nothing stale), the other files are kept but checked again on
/// each load (ETag, so a new build is seen at once).
/// </summary>
public sealed class EmbeddedPage
{
    private readonly FrozenDictionary<string, Asset> assets;

    private sealed record Asset(byte[] Content, string ContentType, string ETag);

    /// <param name="assembly">The assembly holding the resources.</param>
    /// <param name="resourcePrefix">The resources' name prefix (their LogicalName), e.g. <c>desk/</c>.</param>
    /// <param name="generated">Files made at start (e.g. code lists as JSON): name → content and content type.</param>
    public EmbeddedPage(Assembly assembly, string resourcePrefix, IReadOnlyDictionary<string, (byte[] Content, string ContentType)>? generated = null)
    {
        var files = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(resourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var file = name[resourcePrefix.Length..];
            files[file] = Create(buffer.ToArray(), ContentTypeOf(file));
        }

        if (!files.ContainsKey("index.html"))
        {
            throw new InvalidOperationException($"The page ({resourcePrefix}index.html) is not embedded in {assembly.GetName().Name}.");
        }

        foreach (var (file, (content, contentType)) in generated ?? new Dictionary<string, (byte[], string)>())
        {
            files[file] = Create(content, contentType);
        }

        assets = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The files served, by name.</summary>
    public IReadOnlyCollection<string> Files => assets.Keys;

    /// <summary>Answers <paramref name="file"/> under <paramref name="contentSecurityPolicy"/>, or 404.</summary>
    public IResult Serve(HttpContext http, string file, string contentSecurityPolicy)
    {
        if (!assets.TryGetValue(file, out var asset))
        {
            return Results.NotFound();
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            headers.CacheControl = "no-store";
            return Results.Bytes(asset.Content, asset.ContentType);
        }

        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        return http.Request.Headers.IfNoneMatch == asset.ETag
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(asset.Content, asset.ContentType);
    }

    /// <summary>
    /// The policy of a page people sign in to at the identity provider: everything from this service only; forms (signing
    /// out) to it and on to the provider. Script may set element styles (ECharts does; <c>style-src 'self'</c> only stops
    /// style attributes and elements in markup).
    /// </summary>
    public static string SignInPagePolicy(Uri provider) =>
        $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; " +
        $"form-action 'self' {provider.GetLeftPart(UriPartial.Authority)}; frame-ancestors 'none'; object-src 'none'";

    /// <summary>
    /// Maps the page at <paramref name="path"/> (its <c>index.html</c>; routing ignores a trailing slash) and its files at
    /// <c>{path}/{file}</c>, under <see cref="SignInPagePolicy"/> of the provider <paramref name="providerOf"/> names.
    /// </summary>
    public IEndpointRouteBuilder MapSignInPage(IEndpointRouteBuilder app, string path, Func<IServiceProvider, Uri> providerOf)
    {
        app.MapGet(path, (HttpContext http) => Serve(http, "index.html", SignInPagePolicy(providerOf(http.RequestServices)))).ExcludeFromDescription();
        app.MapGet(path + "/{file}", (string file, HttpContext http) => Serve(http, file, SignInPagePolicy(providerOf(http.RequestServices)))).ExcludeFromDescription();
        return app;
    }

    private static Asset Create(byte[] content, string contentType) =>
        new(content, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");

    private static string ContentTypeOf(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json; charset=utf-8",
        ".txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
}
