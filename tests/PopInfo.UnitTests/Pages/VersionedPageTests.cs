using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Collection;
using PopInfo.ServiceDefaults.Pages;

namespace PopInfo.UnitTests.Pages;

/// <summary>
/// The desk's files by version (EmbeddedPage with a versioned base): the HTML names this build's versioned folder and
/// preloads every module, versioned files are kept without asking again, another version's address is still answered.
/// </summary>
public sealed partial class VersionedPageTests
{
    private const string Csp = "default-src 'self'";

    private static readonly EmbeddedPage Desk = new(typeof(DeskPage).Assembly, "desk/", versionedBase: "/desk");

    private static string Html => Encoding.UTF8.GetString(Desk.Content("index.html")!);

    private static string[] Modules => [.. Desk.Files.Where(f => f.EndsWith(".js", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    [Fact]
    public void The_html_names_the_versioned_folder_and_no_placeholder_is_left()
    {
        Assert.DoesNotContain("%ASSETS%", Html, StringComparison.Ordinal);
        Assert.DoesNotContain("%MODULEPRELOAD%", Html, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{16}$", Desk.Version);
        Assert.Contains($"<script type=\"module\" src=\"/desk/_v/{Desk.Version}/js/main.js\"></script>", Html, StringComparison.Ordinal);
        Assert.Contains($"<link rel=\"stylesheet\" href=\"/desk/_v/{Desk.Version}/desk.css\">", Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_module_is_preloaded_once_by_its_versioned_address()
    {
        var preloaded = PreloadLink().Matches(Html).Select(m => m.Groups["href"].Value).ToList();

        Assert.Equal(Modules.Select(m => $"/desk/_v/{Desk.Version}/{m}"), preloaded.Order(StringComparer.Ordinal));
        Assert.True(Modules.Length >= 19, $"{Modules.Length} modules");
    }

    /// <summary>Preloading every file is right only while the first load imports every module: main.js's imports, and theirs.</summary>
    [Fact]
    public void The_first_load_imports_every_module_so_none_is_preloaded_for_nothing()
    {
        var imported = new HashSet<string>(StringComparer.Ordinal) { "js/main.js" };
        var next = new Queue<string>(imported);
        while (next.TryDequeue(out var module))
        {
            var folder = module[..(module.LastIndexOf('/') + 1)];
            foreach (Match import in StaticImport().Matches(Encoding.UTF8.GetString(Desk.Content(module)!)))
            {
                var target = folder + import.Groups["path"].Value[2..];
                Assert.Contains(target, Modules);
                if (imported.Add(target))
                {
                    next.Enqueue(target);
                }
            }
        }

        Assert.Equal(Modules, imported.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void This_builds_versioned_files_are_kept_without_asking_again()
    {
        var http = new DefaultHttpContext();

        var result = Desk.Serve(http, $"_v/{Desk.Version}/js/main.js", Csp);

        var bytes = Assert.IsType<FileContentHttpResult>(result.Result);
        Assert.Equal(Desk.Content("js/main.js"), bytes.FileContents.ToArray());
        Assert.Equal("public, max-age=31536000, immutable", http.Response.Headers.CacheControl.ToString());
        Assert.Equal(Csp, http.Response.Headers.ContentSecurityPolicy.ToString());
    }

    [Fact]
    public void Another_versions_address_gets_this_builds_file_checked_on_each_load()
    {
        var http = new DefaultHttpContext();

        var result = Desk.Serve(http, "_v/0000000000000000/js/main.js", Csp);

        var bytes = Assert.IsType<FileContentHttpResult>(result.Result);
        Assert.Equal(Desk.Content("js/main.js"), bytes.FileContents.ToArray());
        Assert.Equal("no-cache", http.Response.Headers.CacheControl.ToString());
        Assert.False(string.IsNullOrEmpty(http.Response.Headers.ETag.ToString()));
    }

    [Theory]
    [InlineData("_v/")]
    [InlineData("_v/abc")]
    [InlineData("_v/{version}/js/none.js")]
    [InlineData("_v/{version}/_v/{version}/js/main.js")]
    public void A_versioned_address_of_no_file_is_not_found(string file)
    {
        var result = Desk.Serve(new DefaultHttpContext(), file.Replace("{version}", Desk.Version, StringComparison.Ordinal), Csp);

        Assert.IsType<NotFound>(result.Result);
    }

    [Fact]
    public void A_change_to_any_file_but_the_html_is_another_version()
    {
        var changed = new EmbeddedPage(typeof(DeskPage).Assembly, "desk/",
            new Dictionary<string, (byte[], string)> { ["codes.json"] = ("{}"u8.ToArray(), "application/json; charset=utf-8") }, versionedBase: "/desk");
        var same = new EmbeddedPage(typeof(DeskPage).Assembly, "desk/",
            new Dictionary<string, (byte[], string)> { ["codes.json"] = ("{}"u8.ToArray(), "application/json; charset=utf-8") }, versionedBase: "/desk");

        Assert.NotEqual(Desk.Version, changed.Version);
        Assert.Equal(changed.Version, same.Version);
    }

    [GeneratedRegex("""<link rel="modulepreload" href="(?<href>[^"]+)">""")]
    private static partial Regex PreloadLink();

    [GeneratedRegex("""^\s*import\s+(?:[^'";]*?\s+from\s+)?['"](?<path>\./[^'"]+)['"]""", RegexOptions.Multiline)]
    private static partial Regex StaticImport();
}
