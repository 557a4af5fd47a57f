using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using PopInfo.BrowserTests.Browser;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;
using PopInfo.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PopInfo.BrowserTests;

/// <summary>
/// The planners' dashboard (/dashboard on the analytics service) as a planner's browser shows it: signed in at the
/// embedded identity provider's real page, the pyramid drawn by ECharts, a drill-down from the city into a district,
/// a custom table with its CSV, the English switch; and a person of another role refused.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(ChromiumFixture chromium, EmbeddedHostFixture host, ITestOutputHelper output)
{
    private const string Password = "planner-password-1";

    private static readonly Uri Dashboard = new("http://127.0.0.1:5105/dashboard");

    private static readonly Uri Registry = new("http://127.0.0.1:5101/");

    /// <summary>The first answers may wait for the analytics service's first table of the run.</summary>
    private static readonly LocatorAssertionsToHaveAttributeOptions Drawn = new() { Timeout = 30_000 };

    [Fact]
    public async Task A_planner_signs_in_sees_the_pyramid_drills_into_a_district_builds_a_table_and_downloads_it()
    {
        var planner = await CreateAccountAsync("planner", null, "王规划");
        await RegisterResidentsAsync(RegionCatalogue.Wuxi.Communities[0].Code, 12);
        await WaitForProjectionAsync(12);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);

        var response = await page.GotoAsync(Dashboard.ToString());
        Assert.Equal(200, response?.Status);
        var headers = await response!.AllHeadersAsync();
        Assert.Contains("script-src 'self'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.StartsWith("default-src 'self'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("no-store", headers["cache-control"]);

        await SignInAsync(page, planner);
        await Expect(page.Locator("#who")).ToHaveTextAsync("王规划");
        await Expect(page.Locator("h1")).ToHaveTextAsync("无锡市人口决策分析");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");

        // The pyramid: an ECharts canvas, one bar per five-year band of each sex, the males to the left (negative).
        await Expect(page.Locator("#pyramid")).ToHaveAttributeAsync("data-state", "ready", Drawn);
        Assert.True(await page.Locator("#pyramid canvas").CountAsync() >= 1, "ECharts drew no canvas for the pyramid.");
        var pyramid = JsonDocument.Parse(await page.EvaluateAsync<string>(
            "() => JSON.stringify(echarts.getInstanceByDom(document.getElementById('pyramid')).getOption())")).RootElement;
        var bands = pyramid.GetProperty("yAxis")[0].GetProperty("data").EnumerateArray().Select(b => b.GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, (Ages.OpenEnded / 5) + 1).Select(Ages.FiveYearBandLabel), bands);
        var series = pyramid.GetProperty("series");
        Assert.Equal(["男", "女"], series.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(series[0].GetProperty("data").EnumerateArray(), v => Assert.True(v.GetDouble() <= 0, "A male bar points right."));
        Assert.All(series[1].GetProperty("data").EnumerateArray(), v => Assert.True(v.GetDouble() >= 0, "A female bar points left."));
        await Expect(page.Locator("#cards .card")).ToHaveCountAsync(15);

        // Drill-down: the city's districts (one protected table), then one district's streets (another), then a street's
        // communities. The browser tests register people only in the first communities of the first district's first
        // street (here and in DeskTests, AdminPageTests), so at the city and at the district the treemap has one tile,
        // filling the chart: a click in the chart's middle lands on it.
        var district = RegionCatalogue.Wuxi.Districts[0];
        var street = RegionCatalogue.Wuxi.Streets.First(s => s.ParentCode == district.Code);
        Assert.Equal(street.Code, RegionCatalogue.Wuxi.Communities[0].ParentCode);
        await Expect(page.Locator("#drill")).ToHaveAttributeAsync("data-level", "district", Drawn);
        await Expect(page.Locator("#drill-list li")).ToHaveCountAsync(RegionCatalogue.Wuxi.Districts.Count);
        var tiles = await page.EvaluateAsync<string[]>("() => echarts.getInstanceByDom(document.getElementById('drill')).getOption().series[0].data.map(d => d.code)");
        Assert.Contains(district.Code, tiles);
        if (tiles.Length == 1)
        {
            // The one tile fills the chart: a click in the chart's middle lands on it.
            await page.Locator("#drill").ClickAsync(new() { Position = new() { X = 300, Y = 200 } });
        }
        else
        {
            // Other browser tests (the desk's pickers, imports) registered people elsewhere too, in an order the run decides:
            // the district is then chosen from the list, as a keyboard user would.
            await page.Locator($"#drill-list li[data-code='{district.Code}'] button").ClickAsync();
        }

        await Expect(page.Locator("#drill")).ToHaveAttributeAsync("data-level", "street", Drawn);
        await Expect(page.Locator("#drill-path")).ToContainTextAsync(district.Name);
        await Expect(page.Locator("#drill-list li")).ToHaveCountAsync(RegionCatalogue.Wuxi.Streets.Count(s => s.ParentCode == district.Code));
        var drillTitle = await page.EvaluateAsync<string>("() => echarts.getInstanceByDom(document.getElementById('drill')).getOption().title[0].text");
        Assert.StartsWith(district.Name, drillTitle, StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, output, "A_planner_sees_the_pyramid_and_a_district");
        await page.Locator($"#drill-list li[data-code='{street.Code}'] button").ClickAsync();
        await Expect(page.Locator("#drill")).ToHaveAttributeAsync("data-level", "community", Drawn);
        await Expect(page.Locator("#drill-path")).ToContainTextAsync(street.Name);
        await Expect(page.Locator("#drill-list li")).ToHaveCountAsync(RegionCatalogue.Wuxi.Communities.Count(c => c.ParentCode == street.Code));

        // A custom table: districts by sex, with the API's totals and the protection note; its CSV the same query.
        await page.Locator("#row-1").SelectOptionAsync("district");
        await page.Locator("#col-1").SelectOptionAsync("sex");
        await page.Locator("#build").ClickAsync();
        var table = page.Locator("#result");
        await Expect(table.Locator("tr")).ToHaveCountAsync(RegionCatalogue.Wuxi.Districts.Count + 2);
        await Expect(table.Locator("tr").First).ToContainTextAsync("合计");
        await Expect(page.Locator("#protection")).ToContainTextAsync("cell-key");
        var href = await page.Locator("#csv").GetAttributeAsync("href");
        Assert.StartsWith("/api/v1/tables/csv?", href, StringComparison.Ordinal);
        Assert.Contains("rows=district", href, StringComparison.Ordinal);
        Assert.Contains("columns=sex", href, StringComparison.Ordinal);
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#csv").ClickAsync());
        var csv = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, csv[..3]);
        var lines = Encoding.UTF8.GetString(csv, 3, csv.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("district,", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("合计 total", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith(district.Name + ",", StringComparison.Ordinal) || l.Contains(district.Code, StringComparison.Ordinal));
        await Screenshots.SaveAsync(page, output, "A_planner_builds_a_table");

        // English: labels, the categories' English names and the chart's legend; back to Chinese.
        await page.Locator("#lang").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Wuxi population decision analysis");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(table.Locator("tr").First).ToContainTextAsync("Total");
        await Expect(table.Locator("tr").First).ToContainTextAsync("female");
        await Expect(table.Locator("tr").Nth(1)).ToContainTextAsync(RegionCatalogue.Wuxi.Districts[0].Name);
        await Expect(page.Locator("#basis")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^Occurred: the city as it was"));
        await Expect(page.Locator("#sign-out button")).ToHaveTextAsync("Sign out");
        var legend = await page.EvaluateAsync<string>("() => echarts.getInstanceByDom(document.getElementById('pyramid')).getOption().series[0].name");
        Assert.Equal("Male", legend);
        await Screenshots.SaveAsync(page, output);
        await page.Locator("#lang").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("无锡市人口决策分析");

        // Signing out: back at the dashboard, signed out; its API no longer answers this browser.
        await page.Locator("#sign-out button").ClickAsync();
        await Expect(page.Locator("#signed-out")).ToBeVisibleAsync();
        var afterwards = await page.EvaluateAsync<int>("async () => (await fetch('/api/v1/indicators')).status");
        Assert.Equal(401, afterwards);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_person_of_another_role_is_refused_with_the_rule()
    {
        var collector = await CreateAccountAsync("collector", RegionCatalogue.Wuxi.Communities[1].Code, "李采集");

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(Dashboard.ToString());
        await SignInAsync(page, collector);

        await Expect(page).ToHaveURLAsync(Dashboard + "?signIn=role.dashboard");
        await Expect(page.Locator("#refused")).ToBeVisibleAsync();
        await Expect(page.Locator("#refused")).ToHaveAttributeAsync("data-rule", "role.dashboard");
        await Expect(page.Locator("#refused")).ToContainTextAsync("规划人员");
        await page.Locator("#lang").ClickAsync();
        await Expect(page.Locator("#refused")).ToContainTextAsync("Only planners may use");
        await Expect(page.Locator("#main")).ToBeHiddenAsync();
        var status = await page.EvaluateAsync<int>("async () => (await fetch('/api/v1/tables?rows=district')).status");
        Assert.Equal(401, status);
        await Screenshots.SaveAsync(page, output);
    }

    /// <summary>From the dashboard's sign-in link to the identity provider's sign-in page and, with the password, back.</summary>
    private static async Task SignInAsync(IPage page, string userName)
    {
        await Expect(page.Locator("#signed-out")).ToBeVisibleAsync();
        await page.Locator("#sign-in").ClickAsync();
        await PeoplePages.SignInAtProviderAsync(page, userName, Password);
    }

    private Task<string> CreateAccountAsync(string role, string? regionCode, string displayName)
    {
        _ = host;
        return PeoplePages.CreateAccountAsync(role, regionCode, displayName, Password);
    }

    /// <summary>Until the analytics projection is ready and holds at least <paramref name="persons"/> persons (asked with a token, as a program asks).</summary>
    private static async Task WaitForProjectionAsync(int persons)
    {
        using var analytics = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:5105/") };
        analytics.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token([PopInfo.ServiceDefaults.Security.PlatformScopes.AnalyticsRead], audiences: [PopInfo.ServiceDefaults.Security.PlatformScopes.Audience("analytics")]));
        var until = DateTime.UtcNow.AddSeconds(60);
        string last = "";
        while (DateTime.UtcNow < until)
        {
            var (status, body) = await analytics.GetJsonAsync("/api/v1/projection/status");
            last = $"{status} {body}";
            if (status == 200 && (bool)body["ready"]! && (int)body["persons"]! >= persons)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The analytics projection did not take the registered people within 60 s: {last}");
    }

    /// <summary>Residents of the community, directly at the registry: the people the analytics service counts.</summary>
    private static async Task RegisterResidentsAsync(string community, int count)
    {
        using var registry = ServiceProcess.RegistryClient(Registry);
        for (var i = 0; i < count; i++)
        {
            var (status, created) = await registry.PostAsync("/api/v1/persons", People.ResidentOf(community, i % 2 == 0 ? "1" : "2"));
            Assert.True(status == 201, $"Registering a resident failed: {status} {created}");
        }
    }
}
