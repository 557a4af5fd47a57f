using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using PopInfo.Testing;
using Xunit.Abstractions;

namespace PopInfo.BrowserTests.Browser;

/// <summary>Screenshots as test artefacts: <c>TestResults/screenshots/&lt;class&gt;.&lt;test&gt;.png</c> under the repository root.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(Root(), "TestResults", "screenshots");

    /// <summary>
    /// Saves the whole page, writes its path to the test's output and returns it. xunit.runner.json turns on
    /// diagnostic messages, so dotnet test's console shows that output for passing tests too.
    /// </summary>
    public static async Task<string> SaveAsync(
        IPage page, ITestOutputHelper output, [CallerMemberName] string test = "", [CallerFilePath] string file = "")
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(output);
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{Path.GetFileNameWithoutExtension(file)}.{test}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        return path;
    }

    /// <summary>
    /// The repository holding the test's output folder; when the output is elsewhere (<c>--artifacts-path /tmp/...</c>),
    /// the repository the tests were built from (recorded in the assembly by the project file).
    /// </summary>
    private static string Root()
    {
        try
        {
            return RepositoryRoot.Path;
        }
        catch (TypeInitializationException)
        {
            return typeof(Screenshots).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "PopInfo.RepositoryRoot").Value!;
        }
    }
}
