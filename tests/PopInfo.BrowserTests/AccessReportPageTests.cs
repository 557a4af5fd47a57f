using System.Net.Http.Json;
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
/// The access report's page (/access-report on the sharing service) as an auditor's browser shows it: signed in at the
/// embedded identity provider, an identity number entered, the entries of the person — a department's verification, a
/// withheld look-up shown as withheld, the registry's reads — from the real sharing service, registry and exchange of the
/// embedded host; then in English; the print stylesheet in place.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessReportPageTests(ChromiumFixture chromium, EmbeddedHostFixture host, ITestOutputHelper output)
{
    private const string Password = "auditor-password-1";

    private static readonly Uri Page = new("http://127.0.0.1:5104/access-report");

    private static readonly Uri Sharing = new("http://127.0.0.1:5104/");

    private static readonly Uri Registry = new("http://127.0.0.1:5101/");

    [Fact]
    public async Task An_auditor_signs_in_reports_on_a_person_sees_a_withheld_access_as_withheld_in_Chinese_and_English_and_can_print()
    {
        _ = host;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var auditor = await CreateAuditorAsync();
        var community = RegionCatalogue.Wuxi.Communities[2].Code;
        var resident = People.ResidentOf(community, "2");
        using (var registry = ServiceProcess.RegistryClient(Registry))
        {
            var (status, created) = await registry.PostAsync("/api/v1/persons", resident);
            Assert.True(status == 201, $"Registering a resident failed: {status} {created}");

            // One read of the person in the register, by the tests' client.
            Assert.Equal(200, (await registry.GetJsonAsync($"/api/v1/persons/{(string)created["personId"]!}")).Status);
        }

        // A school verifies the person; the police look them up under a purpose the law keeps from them.
        var school = "bt-school-" + suffix;
        var police = "bt-police-" + suffix;
        await GrantAsync(school, "verify", "school-enrolment", community);
        await GrantAsync(police, "lookup", "criminal-investigation", community);
        await UntilAsync(school, "/api/v1/verify", new
        {
            idNumber = (string)resident["idNumber"]!, name = (string)resident["name"]!, purpose = "school-enrolment", caseReference = "SCH-" + suffix,
        }, answer => (string?)answer["outcome"] == "match");
        await UntilAsync(police, "/api/v1/lookup", new { idNumber = (string)resident["idNumber"]!, purpose = "criminal-investigation", caseReference = "POL-" + suffix },
            answer => answer["people"]!.AsArray().Count == 1);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) => { if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) errors.Add(message.Text); };

        var response = await page.GotoAsync(Page.ToString());
        Assert.Equal(200, response?.Status);
        Assert.Contains("script-src 'self'", (await response!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        await Expect(page.Locator("#signed-out")).ToBeVisibleAsync();
        await page.Locator("#sign-in").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^http://127\\.0\\.0\\.1:5107/account/sign-in"));
        await page.GetByLabel("用户名 User name").FillAsync(auditor);
        await page.GetByLabel("密码 Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录 Sign in" }).ClickAsync();
        await Expect(page.Locator("#who")).ToHaveTextAsync("李审计");
        await Expect(page.Locator("h1")).ToHaveTextAsync("个人信息访问报告");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");

        // The identity number goes in the form (and the POST's body); the report comes back.
        await page.Locator("#id-number").FillAsync((string)resident["idNumber"]!);
        await page.Locator("#case-reference").FillAsync("REQ-" + suffix);
        await page.Locator("#run").ClickAsync();
        var rows = page.Locator("#entries tbody tr");
        await Expect(page.Locator("#report")).ToBeVisibleAsync();
        await Expect(page.Locator("#sources li.failed")).ToHaveCountAsync(0);
        await Expect(page.Locator("#sources li.ok")).ToHaveCountAsync(3);
        await Expect(page.Locator("#entries tbody tr[data-source='sharing']")).ToHaveCountAsync(2);
        var verified = page.Locator("#entries tbody tr[data-source='sharing']").First;
        await Expect(verified).ToContainTextAsync("dept-" + school);
        await Expect(verified).ToContainTextAsync("入学资格审核 (school-enrolment)");
        await Expect(verified).ToContainTextAsync("SCH-" + suffix);
        var withheld = page.Locator("#entries tbody tr[data-withheld='true']");
        await Expect(withheld).ToHaveCountAsync(1);
        await Expect(withheld).ToContainTextAsync("依法不予公开");
        await Expect(withheld).ToContainTextAsync("信息共享服务");
        Assert.DoesNotContain(police, await page.Locator("#entries").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("POL-" + suffix, await page.Locator("#entries").InnerTextAsync(), StringComparison.Ordinal);
        var registryRead = page.Locator("#entries tbody tr[data-source='registry']");
        await Expect(registryRead).ToHaveCountAsync(1);
        await Expect(registryRead).ToContainTextAsync("popinfo-tests");
        await Expect(registryRead).ToContainTextAsync("person.get");
        await Expect(registryRead).ToContainTextAsync("人口登记");
        await Screenshots.SaveAsync(page, output, "An_auditor_sees_the_report_in_Chinese");

        // English.
        await page.Locator("#lang").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Personal data access report");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(withheld).ToContainTextAsync("Withheld by law");
        await Expect(verified).ToContainTextAsync("checking a child's eligibility for school enrolment (school-enrolment)");
        await Expect(page.Locator("#entries thead")).ToContainTextAsync("Department");
        await Expect(registryRead).ToContainTextAsync("Registry");
        await Screenshots.SaveAsync(page, output);

        // The print stylesheet: linked for print, served, and hiding the form when printed.
        Assert.Equal(1, await page.Locator("link[rel='stylesheet'][media='print'][href='/access-report/access-report-print.css']").CountAsync());
        var css = await page.EvaluateAsync<string>("async () => await (await fetch('/access-report/access-report-print.css')).text()");
        Assert.Contains("@page", css, StringComparison.Ordinal);
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator("#ask")).ToBeHiddenAsync();
        await Expect(page.Locator("#entries")).ToBeVisibleAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        await Expect(page.Locator("#ask")).ToBeVisibleAsync();
        Assert.Empty(errors);
    }

    private static async Task<string> CreateAuditorAsync()
    {
        using var admin = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:5107/") };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token([PlatformScopes.IdentityAdmin], subject: "admin", role: "admin"));
        var userName = "auditor-" + Guid.NewGuid().ToString("N")[..12];
        var (created, account) = await admin.PostAsync("/api/v1/accounts", new { userName, displayName = "李审计", role = "auditor", regionCode = (string?)null, password = Password });
        Assert.True(created == 201, $"Creating the auditor failed: {created} {account}");
        return userName;
    }

    private static async Task GrantAsync(string code, string operation, string purpose, string community)
    {
        using var admin = Client(TestIssuer.Shared.Token([PlatformScopes.SharingAdmin], "popinfo-admin-page", subject: "admin"));
        using var response = await admin.PutAsJsonAsync($"/api/v1/grants/dept-{code}", new
        {
            operations = new[] { operation },
            fields = new Dictionary<string, string> { ["name"] = "plain" },
            regions = new[] { community },
            purposes = new[] { purpose },
            requestsPerMinute = 600,
            dailyQuota = 1000,
            mayTellNotFound = false,
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Asks as the department until the answer holds (the sharing service's copy of the register takes the new person within seconds).</summary>
    private static async Task UntilAsync(string code, string path, object body, Func<JsonObject, bool> holds)
    {
        using var department = Client(TestIssuer.Shared.Token([PlatformScopes.SharingRead], PlatformScopes.DepartmentClientId(code)));
        var until = DateTime.UtcNow.AddSeconds(60);
        var last = "";
        while (DateTime.UtcNow < until)
        {
            var (status, answer) = await department.PostAsync(path, body);
            last = $"{status} {answer}";
            if (status == 200 && holds(answer))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{path} as dept-{code} did not answer as expected within 60 s: {last}");
    }

    private static HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = Sharing };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
