using Microsoft.Playwright;
using PopInfo.BrowserTests.Browser;
using PopInfo.Domain.Regions;
using PopInfo.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PopInfo.BrowserTests;

/// <summary>
/// The identity provider's sign-in page and administrators' page, as an administrator's browser shows them: sign in,
/// create a collector of a community, disable the account, make a department's client and see its secret once.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminPageTests(ChromiumFixture chromium, EmbeddedHostFixture host, ITestOutputHelper output)
{
    private static readonly Uri Admin = new("http://127.0.0.1:5107/admin");

    [Fact]
    public async Task An_administrator_signs_in_creates_and_disables_a_collector_and_makes_a_departments_client()
    {
        _ = host;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var collector = "zhao-" + suffix;
        var community = RegionCatalogue.Wuxi.Communities[3].Code;
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        // A refused request (the wrong password's 401, a rule's 400) is the page working, not an error of the page.
        page.Console += (_, message) => { if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) errors.Add(message.Text); };

        // Not signed in: the provider's sign-in page, then back to the administrators' page.
        await page.GotoAsync(Admin.ToString());
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/sign-in"));
        await page.GetByLabel("密码 Password").FillAsync("wrong-password-1");
        await page.GetByLabel("用户名 User name").FillAsync("admin");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录 Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong user name or password");
        await page.GetByLabel("用户名 User name").FillAsync("admin");
        await page.GetByLabel("密码 Password").FillAsync(IdentityHost.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录 Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Admin.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("账户与客户端管理");
        await Expect(page.GetByTestId("account-admin")).ToBeVisibleAsync();

        // A collector of a community; a rule broken is named on the page and nothing is made.
        var form = page.GetByTestId("new-account");
        await form.GetByLabel("用户名 User name").FillAsync(collector);
        await form.GetByLabel("姓名 Display name").FillAsync("赵敏");
        await form.GetByLabel("角色 Role").SelectOptionAsync("collector");
        await form.GetByLabel("区划代码 Region code").FillAsync(community[..9]);
        await form.GetByLabel("初始密码 Password").FillAsync("collector-password-1");
        await form.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.GetByTestId("message")).ToContainTextAsync("region.level");
        await Expect(page.GetByTestId("account-" + collector)).ToHaveCountAsync(0);
        await form.GetByLabel("区划代码 Region code").FillAsync(community);
        await form.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.GetByTestId("account-" + collector)).ToContainTextAsync(community);
        await Expect(page.GetByTestId("status-" + collector)).ToContainTextAsync("active");

        await page.GetByTestId("disable-" + collector).ClickAsync();
        await Expect(page.GetByTestId("status-" + collector)).ToContainTextAsync("disabled");
        await Expect(page.GetByTestId("enable-" + collector)).ToBeVisibleAsync();

        // A department's client: its secret appears once.
        var clientForm = page.GetByTestId("new-client");
        await clientForm.GetByLabel("部门代码 Department code").FillAsync("edu-" + suffix);
        await clientForm.GetByLabel("部门名称 Name").FillAsync("教育局");
        await clientForm.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.GetByTestId("issued-secret")).ToContainTextAsync("pcs_");
        await Expect(page.GetByTestId("client-dept-edu-" + suffix)).ToContainTextAsync("exchange.department");

        await Screenshots.SaveAsync(page, output);
        Assert.Empty(errors);
    }
}
