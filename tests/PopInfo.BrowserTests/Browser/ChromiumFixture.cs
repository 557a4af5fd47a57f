using Microsoft.Playwright;

namespace PopInfo.BrowserTests.Browser;

/// <summary>
/// One headless Chromium for the browser tests: Debian's <c>/usr/bin/chromium</c> (or <c>POPINFO_CHROMIUM</c>),
/// driven by Playwright's own node driver (the <c>.playwright</c> folder next to the tests). Playwright never
/// downloads a browser here. Without Chromium the tests FAIL — they are never skipped, on CI or anywhere.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string DefaultExecutable = "/usr/bin/chromium";
    public const string ExecutableVariable = "POPINFO_CHROMIUM";

    /// <summary>
    /// The flags found necessary on these machines (shared stack notes): root needs --no-sandbox, there is no GPU,
    /// and nothing may phone home. Playwright adds --headless and a fresh temporary --user-data-dir by itself
    /// (it refuses a --user-data-dir among the arguments).
    /// </summary>
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>The browser binary: <c>POPINFO_CHROMIUM</c> when set, else Debian's.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } path ? path : DefaultExecutable;

    public IBrowser Browser => browser ?? throw new InvalidOperationException("Chromium has not been started.");

    /// <summary>A fresh context (own cookies and storage) per test; dispose it at the end of the test.</summary>
    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });

    public async Task InitializeAsync()
    {
        var executable = ExecutablePath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(MissingMessage(executable));
        }

        try
        {
            playwright = await Playwright.CreateAsync();
        }
        catch (PlaywrightException ex)
        {
            throw new InvalidOperationException(
                $"Playwright's driver did not start from {Path.Combine(AppContext.BaseDirectory, ".playwright")} " +
                $"(the Microsoft.Playwright package copies it there at build time): {ex.Message}", ex);
        }

        try
        {
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
        }
        catch (PlaywrightException ex)
        {
            throw new InvalidOperationException($"Chromium at {executable} did not start: {ex.Message}", ex);
        }
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
    }

    private static string MissingMessage(string executable)
    {
        var overridden = Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 };
        var where = overridden ? $"{ExecutableVariable}={executable}" : executable;
        var onCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        var remedy = onCi
            ? "On CI, test.sh installs Debian's chromium (ensure_chromium in deploy/local/infra.sh) before the tests: it did not run or it failed."
            : "Run `bash deploy/local/infra.sh chromium` (installs Debian's chromium with apt), or set " +
              $"{ExecutableVariable} to a Chromium binary.";
        return $"No Chromium at {where}. The browser tests never download a browser and are never skipped. {remedy}";
    }
}
