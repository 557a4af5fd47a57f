using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace PopInfo.ServiceDefaults.Pages;

/// <summary>
/// A page of static HTML, CSS and JavaScript embedded in an assembly (resources named <c>{prefix}{file}</c>), served by
/// plain endpoints rather than static-file middleware, so that in the embedded host the page answers on its service's
/// port only. Every answer carries the page's Content-Security-Policy, nosniff, no framing and no referrer; the HTML is
/// never kept (a signed-out browser's back button shows nothing stale), the other files are kept but checked again on
/// each load (ETag, so a new build is seen at once).
/// <para>
/// A page that names a <c>versionedBase</c> also serves each file at <c>{base}/_v/{version}/{file}</c>, where the version
/// is a hash of every file but the HTML: kept for a year without being checked again (<c>immutable</c>), since another
/// build has another version and so other addresses. Its HTML names them through two placeholders, replaced at start:
/// <see cref="AssetsPlaceholder"/> by <c>{base}/_v/{version}</c>, and <see cref="ModulePreloadPlaceholder"/> by a
/// <c>&lt;link rel="modulepreload"&gt;</c> for every <c>.js</c> file, so that the browser fetches all of a page's ES
/// modules at once instead of wave by wave as it discovers their imports (every module of such a page must be one its
/// first load imports). Modules that import each other by relative address stay inside one version.
/// </para>
/// </summary>
public sealed class EmbeddedPage
{
    /// <summary>In the HTML of a page with a versioned base: replaced by <c>{base}/_v/{version}</c>.</summary>
    public const string AssetsPlaceholder = "%ASSETS%";

    /// <summary>In the HTML of a page with a versioned base: replaced by a modulepreload link for every <c>.js</c> file.</summary>
    public const string ModulePreloadPlaceholder = "<!-- %MODULEPRELOAD% -->";

    private const string VersionedFolder = "_v/";

    /// <summary>Versioned files do not change: a year, the longest time RFC 9111 caches are told to expect.</summary>
    private const string Immutable = "public, max-age=31536000, immutable";

    private readonly FrozenDictionary<string, Asset> assets;

    private sealed record Asset(byte[] Content, string ContentType, string ETag);

    /// <param name="assembly">The assembly holding the resources.</param>
    /// <param name="resourcePrefix">The resources' name prefix (their LogicalName), e.g. <c>desk/</c>.</param>
    /// <param name="generated">Files made at start (e.g. code lists as JSON): name → content and content type.</param>
    /// <param name="versionedBase">The page's path (e.g. <c>/desk</c>) when its files are also served under a version.</param>
    public EmbeddedPage(Assembly assembly, string resourcePrefix, IReadOnlyDictionary<string, (byte[] Content, string ContentType)>? generated = null,
        string? versionedBase = null)
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

        Version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
            files.Where(f => !IsHtml(f.Value)).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + " " + f.Value.ETag)))))[..16];
        if (versionedBase is not null)
        {
            var assetsBase = $"{versionedBase.TrimEnd('/')}/{VersionedFolder}{Version}";
            var preloads = string.Join("\n", files.Keys.Where(f => f.EndsWith(".js", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
                .Select(f => $"<link rel=\"modulepreload\" href=\"{assetsBase}/{f}\">"));
            foreach (var (file, html) in files.Where(f => IsHtml(f.Value)).ToList())
            {
                files[file] = Create(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(html.Content)
                    .Replace(ModulePreloadPlaceholder, preloads, StringComparison.Ordinal)
                    .Replace(AssetsPlaceholder, assetsBase, StringComparison.Ordinal)), html.ContentType);
            }
        }

        assets = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The files served, by name.</summary>
    public IReadOnlyCollection<string> Files => assets.Keys;

    /// <summary>A hash of every file but the HTML: the version in <c>{base}/_v/{version}/{file}</c>.</summary>
    public string Version { get; }

    /// <summary>A file's content as served (the HTML with its placeholders replaced), or null when there is none.</summary>
    public byte[]? Content(string file) => assets.TryGetValue(file, out var asset) ? asset.Content : null;

    /// <summary>Answers <paramref name="file"/> under <paramref name="contentSecurityPolicy"/>, or 404.</summary>
    public Results<FileContentHttpResult, NotFound, StatusCodeHttpResult> Serve(HttpContext http, string file, string contentSecurityPolicy)
    {
        // {version}/{file}: this build's files are immutable; another version's address (a page loaded before a new build
        // started, asking for the rest) gets this build's file, checked again on each load as an unversioned one is.
        var immutable = false;
        if (file.StartsWith(VersionedFolder, StringComparison.Ordinal))
        {
            var versioned = file[VersionedFolder.Length..].Split('/', 2);
            if (versioned.Length < 2)
            {
                return TypedResults.NotFound();
            }

            immutable = versioned[0] == Version;
            file = versioned[1];
        }

        if (!assets.TryGetValue(file, out var asset))
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (IsHtml(asset))
        {
            headers.CacheControl = "no-store";
            return TypedResults.Bytes(asset.Content, asset.ContentType);
        }

        if (immutable)
        {
            headers.CacheControl = Immutable;
            return TypedResults.Bytes(asset.Content, asset.ContentType);
        }

        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        return http.Request.Headers.IfNoneMatch == asset.ETag
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(asset.Content, asset.ContentType);
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
        var page = new SignInPageFiles(this, providerOf);
        // No prefix: a group's own path mapped as "" would be written with a trailing slash (a route that matches the same, named otherwise).
        var files = app.MapGroup("").ExcludeFromDescription();
        files.MapGet(path, page.ServePage);
        files.MapGet(path + "/{file}", page.ServeFile);
        return app;
    }

    /// <summary>The handlers of a page mapped by <see cref="MapSignInPage"/>: the page, and the provider its policy names.</summary>
    private sealed class SignInPageFiles(EmbeddedPage page, Func<IServiceProvider, Uri> providerOf)
    {
        public Results<FileContentHttpResult, NotFound, StatusCodeHttpResult> ServePage(HttpContext http) => ServeFile("index.html", http);

        public Results<FileContentHttpResult, NotFound, StatusCodeHttpResult> ServeFile(string file, HttpContext http) =>
            page.Serve(http, file, SignInPagePolicy(providerOf(http.RequestServices)));
    }

    private static bool IsHtml(Asset asset) => asset.ContentType.StartsWith("text/html", StringComparison.Ordinal);

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
