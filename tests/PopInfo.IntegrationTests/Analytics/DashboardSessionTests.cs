using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Analytics.Apis;
using PopInfo.Domain.Regions;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Analytics;

/// <summary>The embedded host with the dashboard's session checked again at every request (production: at most every 30 s).</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public EmbeddedPlatform Platform { get; } = new(settings: new Dictionary<string, string?> { ["PopInfo:Analytics:SessionRecheck"] = "00:00:00" });

    /// <summary>A browser-like client of the analytics port: keeps cookies, follows no redirects.</summary>
    public HttpClient Dashboard() => Platform.CreateDefaultClient(new Uri("http://127.0.0.1:5105"), new CookieContainerHandler(), new TestLocalPort.Handler());

    /// <summary>A person at the tests' issuer; returns the key to sign them in with.</summary>
    public static string Person(string userName, string role, string? region) =>
        TestIssuer.Shared.People.Add(new TestPerson(userName, "规划" + userName[^2..], role, region));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Platform.DisposeAsync();
}

/// <summary>
/// Planners sign in to the dashboard at the identity provider (here the tests' issuer), as the desk's people do (the same
/// ServiceDefaults sign-in): only planners, the session re-checked at the provider, and with it the analytics API answers
/// the page as it answers a token with <c>analytics.read</c>.
/// </summary>
public sealed class DashboardSessionTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task A_planners_session_reads_the_analytics_api_and_is_logged_as_the_dashboard_and_the_planner()
    {
        using var browser = fixture.Dashboard();
        await DeskSignIn.SignInAsync(browser, DashboardFixture.Person("planner-reads", "planner", null));

        var (status, session) = await browser.GetJsonAsync("/api/v1/session");
        Assert.Equal(200, status);
        Assert.Equal("planner-reads", (string)session["userName"]!);
        Assert.Equal("planner", (string)session["role"]!);

        var (tableStatus, table) = await browser.GetJsonAsync("/api/v1/tables?rows=district&columns=sex");
        Assert.Equal(200, tableStatus);
        Assert.Equal(RegionCatalogue.Wuxi.Districts.Count, table["rowKeys"]!.AsArray().Count);
        var latest = await fixture.Platform.Services.GetRequiredService<QueryLog>().LatestAsync(1, CancellationToken.None);
        Assert.Equal("popinfo-dashboard/planner-reads", latest.Single().Caller);
        Assert.Equal("table", latest.Single().Kind);

        using var csv = await browser.GetAsync("/api/v1/tables/csv?rows=district");
        Assert.Equal(System.Net.HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal([0xEF, 0xBB, 0xBF], (await csv.Content.ReadAsByteArrayAsync())[..3]);
    }

    [Theory]
    [InlineData("collector", "community", "role.dashboard")]
    [InlineData("admin", null, "role.dashboard")]
    [InlineData("operator", null, "role.dashboard")]
    [InlineData("planner", "district", "region.none")]
    public async Task A_person_the_dashboard_is_not_for_is_refused_at_sign_in_naming_the_rule(string role, string? regionLevel, string rule)
    {
        var region = regionLevel switch
        {
            "community" => RegionCatalogue.Wuxi.Communities[0].Code,
            "district" => RegionCatalogue.Wuxi.Districts[0].Code,
            _ => null,
        };
        using var browser = fixture.Dashboard();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DeskSignIn.SignInAsync(browser, DashboardFixture.Person($"refused-{role}-{regionLevel ?? "none"}", role, region)));
        Assert.Contains("/dashboard?signIn=" + rule, error.Message, StringComparison.Ordinal);
        Assert.Equal(401, (await browser.GetJsonAsync("/api/v1/session")).Status);
        Assert.Equal(401, (await browser.GetJsonAsync("/api/v1/indicators")).Status);
    }

    [Fact]
    public async Task Disabling_the_planner_at_the_provider_ends_the_dashboards_session_at_the_next_check()
    {
        var hint = DashboardFixture.Person("planner-leaving", "planner", null);
        using var browser = fixture.Dashboard();
        await DeskSignIn.SignInAsync(browser, hint);
        Assert.Equal(200, (await browser.GetJsonAsync("/api/v1/indicators")).Status);

        TestIssuer.Shared.People.Disable(hint);
        var (ended, problem) = await browser.GetJsonAsync("/api/v1/indicators");
        Assert.Equal(401, ended);
        Assert.Equal("token.required", (string)problem["rule"]!);
        Assert.Equal(401, (await browser.GetJsonAsync("/api/v1/session")).Status);
    }

    [Fact]
    public async Task A_desk_session_is_not_a_dashboard_session()
    {
        using var desk = fixture.Platform.ClientOf(5102);
        var cookies = await DeskSignIn.SignInCookiesAsync(desk, TestIssuer.Shared.People.Add(new TestPerson("desk-at-dashboard", "周", "collector", RegionCatalogue.Wuxi.Communities[0].Code)));
        var cookie = string.Join("; ", cookies.Select(c => c.Split(';')[0]).Where(c => c.StartsWith("popinfo.desk", StringComparison.Ordinal)));
        Assert.NotEmpty(cookie);
        using var client = fixture.Platform.CreateDefaultClient(new Uri("http://127.0.0.1:5105"), new TestLocalPort.Handler());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tables?rows=district");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Signing_in_returns_only_to_a_path_of_this_service()
    {
        var hint = DashboardFixture.Person("planner-returns", "planner", null);
        using var browser = fixture.Dashboard();
        foreach (var (returnUrl, expected) in new[] { ("/dashboard?x=1", "/dashboard?x=1"), ("https://evil.example/", "/dashboard"), ("//evil.example/", "/dashboard"), ("/\\evil", "/dashboard") })
        {
            using var start = await browser.GetAsync($"/account/sign-in?returnUrl={Uri.EscapeDataString(returnUrl)}&loginHint={hint}");
            Assert.Contains("client_id=popinfo-dashboard", start.Headers.Location!.Query, StringComparison.Ordinal);
            Assert.Contains("redirect_uri=" + Uri.EscapeDataString("http://127.0.0.1:5105/dashboard/signin-oidc"), start.Headers.Location!.Query, StringComparison.Ordinal);
            using var issuer = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            using var code = await issuer.GetAsync(start.Headers.Location);
            using var back = await browser.GetAsync(code.Headers.Location!.PathAndQuery);
            Assert.Equal(expected, back.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task The_page_and_its_vendored_echarts_come_from_the_analytics_port_only_under_its_policy()
    {
        using var client = fixture.Platform.CreateDefaultClient(new Uri("http://127.0.0.1:5105"), new TestLocalPort.Handler());
        using var page = await client.GetAsync("/dashboard");
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/dashboard/echarts.min.js\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);

        using var echarts = await client.GetAsync("/dashboard/echarts.min.js");
        Assert.Equal("text/javascript", echarts.Content.Headers.ContentType!.MediaType);
        Assert.Contains("version=\"6.1.0\"", await echarts.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var desk = fixture.Platform.CreateDefaultClient(new Uri("http://127.0.0.1:5102"), new TestLocalPort.Handler());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await desk.GetAsync("/dashboard")).StatusCode);
    }
}
