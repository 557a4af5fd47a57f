using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using PopInfo.BrowserTests.Browser;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PopInfo.BrowserTests;

/// <summary>
/// The monitoring dashboard (/monitor on the monitoring service) as operators' and auditors' browsers show it: signed in at the
/// embedded identity provider's real page; the platform's health; a firing alert in the banner, acknowledged; a rule changed;
/// the assessment report ranked with its stages, its CSV and its print; the auditor's audit search without the operators'
/// tabs; a planner refused. The embedded host samples every second and watches one service at a closed port
/// (<see cref="EmbeddedHostFixture.Unreachable"/>), whose <c>service-not-ready</c> alert fires once the rule is shortened.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MonitorTests(ChromiumFixture chromium, EmbeddedHostFixture host, ITestOutputHelper output)
{
    private const string Password = "monitor-password-1";

    private static readonly Uri Monitor = new("http://127.0.0.1:5106/monitor");

    private static readonly Uri Monitoring = new("http://127.0.0.1:5106/");

    /// <summary>Samples come every second; an alert opens at the first tick after its condition held for the rule's duration.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 30_000 };

    [Fact]
    public async Task An_operator_signs_in_sees_health_a_firing_alert_in_the_banner_acknowledges_it_and_changes_a_rule()
    {
        var operatorName = await CreateAccountAsync("operator", "赵运维");
        using var api = MonitoringClient("operator", "monitor-test-operator");

        // The unreachable service's alert opens within two seconds of its condition instead of a minute.
        var rule = await RuleAsync(api, "service-not-ready");
        var (changed, changedBody) = await api.SendAsync(HttpMethod.Put, "/api/v1/alert-rules/service-not-ready",
            new { durationSeconds = 1, version = (int)rule["version"]! });
        Assert.True(changed == 200, $"Shortening service-not-ready failed: {changed} {changedBody}");

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        var response = await page.GotoAsync(Monitor.ToString());
        Assert.Equal(200, response?.Status);
        var headers = await response!.AllHeadersAsync();
        Assert.StartsWith("default-src 'self'; script-src 'self'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("no-store", headers["cache-control"]);

        await SignInAsync(page, operatorName);
        await Expect(page.Locator("#who")).ToHaveTextAsync("赵运维");
        await Expect(page.Locator("h1")).ToHaveTextAsync("平台监控管理");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");

        // Health: the platform's services live and ready, the one at the closed port not.
        var services = page.Locator("#services tbody tr");
        foreach (var name in (string[])["registry", "collection", "exchange", "sharing", "analytics", "identity"])
        {
            await Expect(page.Locator($"#services tbody tr[data-service='{name}']")).ToHaveAttributeAsync("data-ready", "true");
        }

        await Expect(page.Locator($"#services tbody tr[data-service='{EmbeddedHostFixture.Unreachable}']")).ToHaveAttributeAsync("data-ready", "false");
        await Expect(services).ToHaveCountAsync(7);
        await Expect(page.Locator("#health-verdict")).ToHaveTextAsync("有异常");
        await Expect(page.Locator("#database")).ToContainTextAsync("未监控数据库");

        // The alert: in the banner with its severity, rule, subject and since; acknowledged from there, it stays (still open), marked.
        var alert = page.Locator($"#banner li[data-rule='service-not-ready'][data-subject='{EmbeddedHostFixture.Unreachable}']");
        await Expect(alert).ToBeVisibleAsync(Soon);
        await Expect(alert).ToContainTextAsync("[严重] service-not-ready · " + EmbeddedHostFixture.Unreachable + " · 开始于");
        await Expect(alert).ToHaveAttributeAsync("data-acknowledged", "false");
        await Screenshots.SaveAsync(page, output, "An_operator_sees_health_and_a_firing_alert");
        await alert.Locator("button.acknowledge").ClickAsync();
        await Expect(alert).ToHaveAttributeAsync("data-acknowledged", "true");
        await Expect(alert).ToContainTextAsync("已确认");

        // The acknowledgement is the operator's, in the operators' trail (the page's session names the person).
        var (trailStatus, trail) = await api.GetJsonAsync("/api/v1/operator-actions?limit=20");
        Assert.Equal(200, trailStatus);
        Assert.Contains(trail["items"]!.AsArray(), a => (string?)a!["action"] == "alert.acknowledge" && (string?)a["actor"] == "operator:" + operatorName);

        // Alerts' tab: the same alert, acknowledged, still open.
        await page.Locator(".tab[data-tab='alerts']").ClickAsync();
        var listed = page.Locator("#alerts tbody tr.open").Filter(new() { HasText = EmbeddedHostFixture.Unreachable });
        await Expect(listed).ToHaveCountAsync(1);
        await Expect(listed.Locator("button.acknowledge")).ToHaveCountAsync(0);

        // Rules: a threshold changed on the page, saved with the version read; the rule's next version.
        await page.Locator(".tab[data-tab='rules']").ClickAsync();
        var deep = page.Locator("#rules tbody tr[data-rule='queue-deep']");
        var before = await RuleAsync(api, "queue-deep");
        await Expect(deep.Locator("td").Nth(7)).ToHaveTextAsync(((int)before["version"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await deep.Locator("input.threshold").FillAsync("60000");
        await deep.Locator("button.save").ClickAsync();
        var next = ((int)before["version"]! + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Expect(deep.Locator("td").Nth(7)).ToHaveTextAsync(next);
        var after = await RuleAsync(api, "queue-deep");
        Assert.Equal(60000, (double)after["threshold"]!);
        Assert.Equal("operator:" + operatorName, (string?)after["changedBy"]);
        await Expect(page.Locator("#rules-problem")).ToBeHiddenAsync();

        // Flow: the read models as last sampled, and the lag chart drawn by ECharts.
        await page.Locator(".tab[data-tab='flow']").ClickAsync();
        await Expect(page.Locator("#read-models tbody tr[data-read-model='sharing']")).ToBeVisibleAsync(Soon);
        await Expect(page.Locator("#lag-chart")).ToHaveAttributeAsync("data-state", "ready");
        Assert.True(await page.Locator("#lag-chart canvas").CountAsync() >= 1, "ECharts drew no canvas for the lag.");

        // Data quality: the counts' table and the trend chart (ECharts, the analytics dashboard's file).
        await page.Locator(".tab[data-tab='quality']").ClickAsync();
        await Expect(page.Locator("#quality-chart")).ToHaveAttributeAsync("data-state", "ready");
        await Expect(page.Locator("#quality thead th")).ToHaveCountAsync(6);
        // The very file the analytics dashboard serves (linked into the monitoring assembly, not copied).
        using (var files = new HttpClient())
        {
            var monitorCopy = await files.GetByteArrayAsync(new Uri(Monitoring, "monitor/echarts.min.js"));
            var dashboardCopy = await files.GetByteArrayAsync("http://127.0.0.1:5105/dashboard/echarts.min.js");
            Assert.True(monitorCopy.Length > 100_000, "The monitoring page's ECharts is not the library.");
            Assert.Equal(dashboardCopy, monitorCopy);
        }

        // English: the words, the banner's severity.
        await page.Locator("#lang").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Platform monitoring");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(alert).ToContainTextAsync("[critical] service-not-ready");
        await Expect(page.Locator(".tab[data-tab='health']")).ToHaveTextAsync("Health");
        await page.Locator(".tab[data-tab='health']").ClickAsync();
        await Expect(page.Locator("#health-verdict")).ToHaveTextAsync("something is wrong");
        await Screenshots.SaveAsync(page, output);

        // Signing out: back at the page, signed out; the API no longer answers this browser.
        await page.Locator("#sign-out button").ClickAsync();
        await Expect(page.Locator("#signed-out")).ToBeVisibleAsync();
        Assert.Equal(401, await page.EvaluateAsync<int>("async () => (await fetch('/api/v1/health')).status"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_operator_sees_the_assessment_ranked_with_its_stages_downloads_its_CSV_and_prints_it()
    {
        var operatorName = await CreateAccountAsync("operator", "钱运维");

        // Forms this month in two communities: each community with forms is assessed, ranked and given a stage.
        var communities = new[] { RegionCatalogue.Wuxi.Communities[5].Code, RegionCatalogue.Wuxi.Communities[6].Code };
        foreach (var community in communities)
        {
            await DraftAFormAsync(community);
        }

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await page.GotoAsync(Monitor.ToString());
        await SignInAsync(page, operatorName);
        await Expect(page.Locator("#who")).ToHaveTextAsync("钱运维");

        // Timeliness: today's communities, those two not cleared (a draft is waiting).
        await page.Locator(".tab[data-tab='timeliness']").ClickAsync();
        foreach (var community in communities)
        {
            await Expect(page.Locator($"#timeliness tbody tr[data-community='{community}']")).ToHaveAttributeAsync("data-cleared", "false");
        }

        await Expect(page.Locator("#timeliness-csv")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/api/v1/timeliness\\?day=\\d{4}-\\d{2}-\\d{2}&format=csv$"));

        // The assessment of this month's communities: the five stages, the two communities ranked, each with its stage.
        await page.Locator(".tab[data-tab='assessment']").ClickAsync();
        await Expect(page.Locator("#assessment-report")).ToBeVisibleAsync();
        await Expect(page.Locator("#stages li")).ToHaveCountAsync(5);
        await Expect(page.Locator("#stages li").First).ToHaveAttributeAsync("data-stage", "poor");
        foreach (var community in communities)
        {
            var line = page.Locator($"#assessment tbody tr[data-code='{community}']");
            await Expect(line).ToHaveAttributeAsync("data-rank", new System.Text.RegularExpressions.Regex("^[1-9][0-9]*$"));
            await Expect(line).ToHaveAttributeAsync("data-stage", new System.Text.RegularExpressions.Regex("^(poor|weak|fair|good|excellent)$"));
        }

        // Ranked: the rows with a rank come first, in rank order.
        var ranks = (await page.Locator("#assessment tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.rank)"))
            .TakeWhile(r => r.Length > 0).Select(int.Parse).ToList();
        Assert.True(ranks.Count >= 2, "Fewer than two communities ranked.");
        Assert.Equal(ranks.Order(), ranks);
        await Expect(page.Locator("#stage-chart")).ToHaveAttributeAsync("data-state", "ready");
        await Screenshots.SaveAsync(page, output, "An_operator_sees_the_assessment");

        // Its CSV: the same question with format=csv.
        var href = await page.Locator("#assessment-csv").GetAttributeAsync("href");
        Assert.Matches("^/api/v1/assessment/communities\\?period=\\d{4}-\\d{2}&format=csv$", href);
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#assessment-csv").ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        foreach (var community in communities)
        {
            Assert.Contains(community, csv, StringComparison.Ordinal);
        }

        // Printed: only the report (the tabs, the banner and the form are not), then to PDF as Chromium prints it.
        Assert.Equal(1, await page.Locator("link[rel='stylesheet'][media='print'][href='/monitor/monitor-print.css']").CountAsync());
        await Expect(page.Locator("#assessment-print")).ToBeEnabledAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator("#tabs")).ToBeHiddenAsync();
        await Expect(page.Locator("#assessment-form")).ToBeHiddenAsync();
        await Expect(page.Locator("#assessment")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, output, "An_operator_sees_the_assessment_as_printed");
        var pdf = Path.Combine(Screenshots.Folder, "MonitorTests.An_operator_prints_the_assessment.pdf");
        Directory.CreateDirectory(Screenshots.Folder);
        var bytes = await page.PdfAsync(new() { Path = pdf, Format = "A4", PrintBackground = true });
        Assert.Equal("%PDF"u8.ToArray(), bytes[..4]);
        output.WriteLine($"pdf: {pdf}");
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        await Expect(page.Locator("#tabs")).ToBeVisibleAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_auditor_sees_the_audit_search_and_the_chains_and_not_the_operators_tabs()
    {
        var auditor = await CreateAccountAsync("auditor", "孙审计");
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await page.GotoAsync(Monitor.ToString());
        await SignInAsync(page, auditor);
        await Expect(page.Locator("#who")).ToHaveTextAsync("孙审计");

        // Only the auditors' tabs; the audit search open.
        await Expect(page.Locator(".tab:visible")).ToHaveCountAsync(2);
        await Expect(page.Locator(".tab[data-tab='health']")).ToBeHiddenAsync();
        await Expect(page.Locator("#tab-audit")).ToBeVisibleAsync();
        await Expect(page.Locator("#banner")).ToBeHiddenAsync();

        // A search over the last 30 days: every source answers.
        await page.Locator("#audit-run").ClickAsync();
        await Expect(page.Locator("#audit")).ToBeVisibleAsync();
        await Expect(page.Locator("#audit-sources li")).ToHaveCountAsync(4);
        await Expect(page.Locator("#audit-sources li.bad")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, output, "An_auditor_sees_the_audit_search");

        // The chains, each verified by its service.
        await page.Locator(".tab[data-tab='chains']").ClickAsync();
        await page.Locator("#chains-run").ClickAsync();
        await Expect(page.Locator("#chains")).ToBeVisibleAsync();
        await Expect(page.Locator("#chains-verdict")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("\\bok\\b"));
        Assert.True(await page.Locator("#chains tbody tr").CountAsync() >= 1);

        // The operators' API refuses the auditor's session.
        Assert.Equal(403, await page.EvaluateAsync<int>("async () => (await fetch('/api/v1/health')).status"));
        Assert.Equal(403, await page.EvaluateAsync<int>(
            "async () => (await fetch('/api/v1/alerts/1/acknowledge', { method: 'POST', headers: { 'X-Requested-With': 'popinfo-monitor' } })).status"));
        await Screenshots.SaveAsync(page, output);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_planner_is_refused_with_the_rule_and_a_change_without_the_pages_header_is_refused()
    {
        var planner = await CreateAccountAsync("planner", "周规划");
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(Monitor.ToString());
        await SignInAsync(page, planner);

        await Expect(page).ToHaveURLAsync(Monitor + "?signIn=role.monitor");
        await Expect(page.Locator("#refused")).ToBeVisibleAsync();
        await Expect(page.Locator("#refused")).ToHaveAttributeAsync("data-rule", "role.monitor");
        await Expect(page.Locator("#refused")).ToContainTextAsync("运维人员");
        await page.Locator("#lang").ClickAsync();
        await Expect(page.Locator("#refused")).ToContainTextAsync("Only operators and auditors may use");
        await Expect(page.Locator("#main")).ToBeHiddenAsync();
        await Expect(page.Locator("#tabs")).ToBeHiddenAsync();
        Assert.Equal(401, await page.EvaluateAsync<int>("async () => (await fetch('/api/v1/session')).status"));
        await Screenshots.SaveAsync(page, output);

        // An operator's session: a change without the page's header (as a form posted from another page would be) is refused.
        var operatorName = await CreateAccountAsync("operator", "吴运维");
        await using var other = await chromium.NewContextAsync();
        var operatorPage = await other.NewPageAsync();
        await operatorPage.GotoAsync(Monitor.ToString());
        await SignInAsync(operatorPage, operatorName);
        await Expect(operatorPage.Locator("#who")).ToHaveTextAsync("吴运维");
        Assert.Equal(403, await operatorPage.EvaluateAsync<int>("async () => (await fetch('/api/v1/alerts/1/acknowledge', { method: 'POST' })).status"));
        Assert.Equal(404, await operatorPage.EvaluateAsync<int>(
            "async () => (await fetch('/api/v1/alerts/999999999/acknowledge', { method: 'POST', headers: { 'X-Requested-With': 'popinfo-monitor' } })).status"));
    }

    /// <summary>From the page's sign-in link to the identity provider's sign-in page and, with the password, back.</summary>
    private static async Task SignInAsync(IPage page, string userName)
    {
        await Expect(page.Locator("#signed-out")).ToBeVisibleAsync();
        await page.Locator("#sign-in").ClickAsync();
        await PeoplePages.SignInAtProviderAsync(page, userName, Password);
    }

    private Task<string> CreateAccountAsync(string role, string displayName, string? regionCode = null)
    {
        _ = host;
        return PeoplePages.CreateAccountAsync(role, regionCode, displayName, Password);
    }


    /// <summary>
    /// A collector of the community signs in at the desk (in a browser of their own: the provider's session is theirs) and
    /// starts a form, left as a draft: the community has a form today.
    /// </summary>
    private async Task DraftAFormAsync(string community)
    {
        var collector = await CreateAccountAsync("collector", "采集员", community);
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("http://127.0.0.1:5102/account/sign-in?returnUrl=%2Fdesk");
        await PeoplePages.SignInAtProviderAsync(page, collector, Password);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^http://127\\.0\\.0\\.1:5102/desk"));
        var status = await page.EvaluateAsync<int>(
            "async (community) => (await fetch('/api/v1/forms', { method: 'POST', headers: { 'Content-Type': 'application/json' }, " +
            "body: JSON.stringify({ formType: 'birth', communityCode: community, data: {} }) })).status", community);
        Assert.Equal(201, status);
    }

    /// <summary>The monitoring API with a person's token of the role (the tests' issuer, which the embedded host's services trust).</summary>
    private static HttpClient MonitoringClient(string role, string subject)
    {
        var client = new HttpClient { BaseAddress = Monitoring };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token([], "popinfo-tests", subject: subject, role: role, audiences: [PlatformScopes.Audience("monitoring")]));
        return client;
    }

    private static async Task<JsonObject> RuleAsync(HttpClient api, string code)
    {
        var (status, rules) = await api.GetJsonArrayAsync("/api/v1/alert-rules");
        Assert.Equal(200, status);
        return rules.Single(r => (string?)r!["code"] == code)!.AsObject();
    }
}
