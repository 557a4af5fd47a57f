using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using PopInfo.BrowserTests.Browser;
using PopInfo.Domain.Regions;
using PopInfo.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PopInfo.BrowserTests;

/// <summary>
/// The desk's screen timings as the page measures them itself (performance.measure "desk:…", js/shell.js): its first
/// load and each change of screen, three rounds, printed for docs/benchmarks.md. Recorded, never asserted: the test
/// checks only that every screen was measured.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DeskTimingTests(ChromiumFixture chromium, EmbeddedHostFixture host, ITestOutputHelper output)
{
    private static readonly string[] Screens = ["desk:load:desk", "desk:editor", "desk:lookup", "desk:report", "desk:import", "desk:language"];

    private Uri Desk => new(host.Collection, "desk");

    [Fact]
    public async Task The_desk_measures_its_first_load_and_each_change_of_screen()
    {
        var community = RegionCatalogue.Wuxi.Communities[13].Code;
        var collector = await DeskPages.CreateCollectorAsync(community, "孙丽");
        var (idNumber, _) = await DeskPages.RegisterResidentAsync(community);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);

        // Signed out: the first load ends at the sign-in screen.
        await page.GotoAsync(Desk.ToString());
        await page.WaitForFunctionAsync("() => performance.getEntriesByName('desk:load:sign-in').length === 1");
        output.WriteLine($"timing sign-in load: {await DurationAsync(page, "desk:load:sign-in")} ms");
        await DeskPages.SignInAndWaitAsync(page, Desk, collector);

        var yesterday = CityDate.Today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rounds = new List<Dictionary<string, double>>();
        for (var round = 1; round <= 3; round++)
        {
            // A fresh load of the signed-in desk (the browser's cache keeps this build's versioned files, as a collector's does).
            await page.ReloadAsync();
            await Expect(page.GetByTestId("new-form-birth")).ToBeVisibleAsync();

            await page.GetByTestId("new-form-birth").ClickAsync();
            await Expect(page.GetByTestId("field-idNumber")).ToBeFocusedAsync();
            await page.GetByTestId("close-editor").ClickAsync();

            await page.GetByTestId("find-query").FillAsync(idNumber);
            await page.GetByTestId("find-submit").ClickAsync();
            await Expect(page.GetByTestId("person")).ToHaveCountAsync(1);

            await page.GetByTestId("report-day").FillAsync(yesterday);
            await page.GetByTestId("load-report").ClickAsync();
            await Expect(page.GetByTestId("report")).ToContainTextAsync(yesterday);

            await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload
            {
                Name = "forms.csv",
                MimeType = "text/csv",
                Buffer = Encoding.UTF8.GetBytes($"表单类型,公民身份号码,出生日期,性别,备注\n出生,320213202505120220,2025/13/01,F,{Guid.NewGuid():N}\n"),
            });
            await page.GetByTestId("import-submit").ClickAsync();
            await Expect(page.GetByTestId("import-bad-rows")).ToBeVisibleAsync();

            await page.GetByTestId("lang-toggle").ClickAsync();
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
            await page.GetByTestId("lang-toggle").ClickAsync();
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");

            // Each measure is taken in the frame after its screen was drawn: wait for them all.
            await page.WaitForFunctionAsync("names => names.every(n => performance.getEntriesByName(n).length > 0)", Screens);
            var figures = new Dictionary<string, double>();
            foreach (var screen in Screens)
            {
                figures[screen] = await DurationAsync(page, screen);
            }

            rounds.Add(figures);
            output.WriteLine($"timing round {round}: " + string.Join(", ", figures.Select(f => $"{f.Key} {f.Value} ms")));
        }

        // Where the last load's time went: the HTML, the modules and the API calls (start-end, ms since navigation).
        output.WriteLine("timing breakdown of the last load: " + await BreakdownAsync(page));

        // Signed out again, each in a browser context of its own (nothing cached, new connections), now that the host has
        // answered everything once: the first load of a collector's new browser, apart from the host's own first minutes.
        var signInLoads = new List<double>();
        for (var round = 1; round <= 3; round++)
        {
            await using var fresh = await chromium.NewContextAsync();
            var freshPage = await fresh.NewPageAsync();
            await freshPage.GotoAsync(Desk.ToString());
            await freshPage.WaitForFunctionAsync("() => performance.getEntriesByName('desk:load:sign-in').length === 1");
            signInLoads.Add(await DurationAsync(freshPage, "desk:load:sign-in"));
            if (round == 3)
            {
                output.WriteLine("timing breakdown of the last sign-in load: " + await BreakdownAsync(freshPage));
            }
        }

        output.WriteLine($"timing sign-in load in a new context, host warm: {string.Join(" / ", signInLoads)} ms");

        Assert.Equal(3, signInLoads.Count);
        Assert.All(rounds, r => Assert.Equal(Screens.Length, r.Count));
        Assert.Empty(errors);
    }

    /// <summary>Where a load's time went: the HTML, the files and the API calls (start-end, ms since the navigation began).</summary>
    private static Task<string> BreakdownAsync(IPage page) => page.EvaluateAsync<string>("""
        () => {
          const n = performance.getEntriesByType('navigation')[0];
          const parts = performance.getEntriesByType('resource')
            .map(e => `${new URL(e.name).pathname.replace('/desk/', '')} ${Math.round(e.startTime)}-${Math.round(e.responseEnd)}`);
          return `html ${Math.round(n.responseEnd)}, DOMContentLoaded ${Math.round(n.domContentLoadedEventEnd)}; ` + parts.join(', ');
        }
        """);

    /// <summary>The longest measure of that name on the page (the language is switched twice: both count), in ms.</summary>
    private static async Task<double> DurationAsync(IPage page, string name) =>
        Math.Round(await page.EvaluateAsync<double>("name => Math.max(...performance.getEntriesByName(name).map(e => e.duration))", name), 1);
}
