using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using PopInfo.BrowserTests.Browser;
using PopInfo.Domain.Regions;
using PopInfo.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PopInfo.BrowserTests;

/// <summary>
/// What the desk shows when things go wrong (docs/desk.md, "When something goes wrong"): a registry rejection at its
/// field, a form pending while the registry is away, a locked account, an ended session, a lost connection. Each leaves
/// a screenshot.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DeskErrorStateTests(ChromiumFixture chromium, EmbeddedHostFixture host, ITestOutputHelper output)
{
    /// <summary>While the registry is held away, the desk's own checks of the register may wait for its answer first.</summary>
    private static readonly LocatorAssertionsToBeHiddenOptions SlowSubmit = new() { Timeout = 90_000 };

    /// <summary>The registry's retries back off up to 30 s (RegistryCommandConsumerDefinition).</summary>
    private static readonly LocatorAssertionsToHaveTextOptions RegistryBack = new() { Timeout = 120_000 };

    private Uri Desk => new(host.Collection, "desk");

    [Fact]
    public async Task A_registry_rejection_comes_back_to_the_form_at_its_field()
    {
        var community = RegionCatalogue.Wuxi.Communities[14].Code;
        var collector = await DeskPages.CreateCollectorAsync(community, "周杰");
        var (idNumber, personId) = await DeskPages.RegisterResidentAsync(community);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await DeskPages.SignInAndWaitAsync(page, Desk, collector);

        await page.GetByTestId("find-query").FillAsync(idNumber);
        await page.GetByTestId("find-submit").ClickAsync();
        await page.GetByTestId("person").GetByTestId("open-correction").ClickAsync();
        await Expect(page.GetByTestId("field-expectedVersion")).ToHaveValueAsync("1");
        await page.GetByTestId("field-reason").FillAsync("职业变更");
        await page.GetByTestId("field-occupation").FillAsync("教师");

        // Meanwhile someone else changes the person at the registry: the form's version 1 is no longer current.
        using (var registry = ServiceProcess.RegistryClient(DeskPages.Registry))
        {
            var (changed, body) = await registry.PostAsync($"/api/v1/persons/{personId}/corrections",
                new { commandId = Guid.NewGuid(), expectedVersion = 1, occupation = "医生" });
            Assert.True(changed == 200, $"{changed} {body}");
        }

        await page.GetByTestId("submit-form").ClickAsync();
        await Expect(page.GetByTestId("form-editor")).ToBeHiddenAsync();
        var form = page.GetByTestId("form-item").Filter(new() { HasText = idNumber });
        await Expect(form.GetByTestId("form-state")).ToHaveTextAsync("被退回", DeskPages.RegistryAnswer);
        await Expect(form.GetByTestId("form-rejection")).ToContainTextAsync("version.current");

        // Opened again: the rejection sits at the version it is about, with the focus, and the current version filled in.
        await form.GetByTestId("form-edit").ClickAsync();
        await Expect(page.GetByTestId("error-expectedVersion")).ToContainTextAsync("version.current");
        await Expect(page.GetByTestId("field-expectedVersion")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByTestId("field-expectedVersion")).ToBeFocusedAsync();
        await Expect(page.GetByTestId("field-expectedVersion")).ToHaveValueAsync("2");
        await Screenshots.SaveAsync(page, output);

        await page.GetByTestId("submit-form").ClickAsync();
        await Expect(form.GetByTestId("form-state")).ToHaveTextAsync("已登记", DeskPages.RegistryAnswer);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_form_stays_pending_while_the_registry_is_away_and_is_registered_once_it_is_back()
    {
        var community = RegionCatalogue.Wuxi.Communities[15].Code;
        var collector = await DeskPages.CreateCollectorAsync(community, "吴刚");
        var (mother, _) = await DeskPages.RegisterResidentAsync(community);
        var (child, birth) = NewChild(community);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await DeskPages.SignInAndWaitAsync(page, Desk, collector);
        await FillBirthAsync(page, child, birth, mother);

        var form = page.GetByTestId("form-item").Filter(new() { HasText = child });
        // The registry away for commands: the test holds its database's write lock (the embedded host's registry.db), so
        // each command it takes fails busy and is retried, as when its database or the registry process is down.
        await using (var away = await HoldRegistryAsync())
        {
            await page.GetByTestId("submit-form").ClickAsync();
            await Expect(page.GetByTestId("form-editor")).ToBeHiddenAsync(SlowSubmit);
            await Expect(form.GetByTestId("form-state")).ToHaveTextAsync("等待登记");
            await Expect(form).ToContainTextAsync("等待登记机关答复");
            await Expect(page.GetByTestId("forms-polling")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("report-cleared")).ToContainTextAsync("未清零");
            await Screenshots.SaveAsync(page, output);
        }

        // Back: the page, still polling, shows the registry's answer without a reload.
        await Expect(form.GetByTestId("form-state")).ToHaveTextAsync("已登记", RegistryBack);
        await Expect(page.GetByTestId("forms-polling")).ToBeHiddenAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_locked_account_is_named_at_sign_in()
    {
        var collector = await DeskPages.CreateCollectorAsync(RegionCatalogue.Wuxi.Communities[16].Code, "郑红");

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(Desk.ToString());
        await page.GetByTestId("sign-in-submit").ClickAsync();
        for (var i = 0; i < 5; i++)
        {
            await PeoplePages.SignInAtProviderAsync(page, collector, "not-the-password-" + i);
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Wrong user name or password|The account is locked"));
        }

        // Five wrong passwords lock it: now the right one is refused too, and the page says for how long.
        await PeoplePages.SignInAtProviderAsync(page, collector, DeskPages.Password);
        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("账户已锁定");
        await Expect(alert).ToContainTextAsync("The account is locked");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^http://127\\.0\\.0\\.1:5107/account/sign-in"));
        await Screenshots.SaveAsync(page, output);
    }

    [Fact]
    public async Task An_ended_session_asks_to_sign_in_again_and_keeps_the_typed_form()
    {
        var community = RegionCatalogue.Wuxi.Communities[17].Code;
        var collector = await DeskPages.CreateCollectorAsync(community, "王强");
        var (mother, _) = await DeskPages.RegisterResidentAsync(community);
        var (child, birth) = NewChild(community);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await DeskPages.SignInAndWaitAsync(page, Desk, collector);
        await FillBirthAsync(page, child, birth, mother);

        // The session ends (its cookies gone, as when it expires or the account is changed): the next action finds out.
        await context.ClearCookiesAsync();
        await page.GetByTestId("submit-form").ClickAsync();
        await Expect(page.GetByTestId("sign-in-submit")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("sign-in-submit")).ToBeFocusedAsync();
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("登录已过期");
        await Expect(page.GetByTestId("form-editor")).ToBeHiddenAsync();
        await Screenshots.SaveAsync(page, output);

        // Signed in again: the form is back as it was typed, and goes to the registry.
        await DeskPages.SignInAsync(page, collector);
        await Expect(page).ToHaveURLAsync(Desk.ToString());
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("已恢复");
        await Expect(page.GetByTestId("field-idNumber")).ToHaveValueAsync(child);
        await Expect(page.GetByTestId("field-name")).ToHaveValueAsync("李小红");
        await Expect(page.GetByTestId("field-birthDate")).ToHaveValueAsync(birth.ToString("yyyy-MM-dd"));
        await Expect(page.GetByTestId("field-motherIdNumber")).ToHaveValueAsync(mother);
        await page.GetByTestId("submit-form").ClickAsync();
        var form = page.GetByTestId("form-item").Filter(new() { HasText = child });
        await Expect(form.GetByTestId("form-state")).ToHaveTextAsync("已登记", DeskPages.RegistryAnswer);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_lost_connection_is_said_and_nothing_typed_is_lost()
    {
        var community = RegionCatalogue.Wuxi.Communities[18].Code;
        var collector = await DeskPages.CreateCollectorAsync(community, "冯敏");
        var (mother, _) = await DeskPages.RegisterResidentAsync(community);
        var (child, birth) = NewChild(community);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await DeskPages.SignInAndWaitAsync(page, Desk, collector);
        await FillBirthAsync(page, child, birth, mother);

        await context.SetOfflineAsync(true);
        await page.GetByTestId("submit-form").ClickAsync();
        var problem = page.GetByTestId("editor-problem");
        await Expect(problem).ToContainTextAsync("无法连接服务器");
        var retry = problem.GetByTestId("retry");
        await Expect(retry).ToBeFocusedAsync();
        await Expect(page.GetByTestId("field-idNumber")).ToHaveValueAsync(child);
        await Expect(page.GetByTestId("field-motherIdNumber")).ToHaveValueAsync(mother);
        await Screenshots.SaveAsync(page, output);

        // Still away: trying again says so again, and keeps the form.
        await retry.ClickAsync();
        await Expect(problem.GetByTestId("retry")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("field-name")).ToHaveValueAsync("李小红");

        // Back: "try again" sends it.
        await context.SetOfflineAsync(false);
        await problem.GetByTestId("retry").ClickAsync();
        await Expect(page.GetByTestId("form-editor")).ToBeHiddenAsync();
        var form = page.GetByTestId("form-item").Filter(new() { HasText = child });
        await Expect(form.GetByTestId("form-state")).ToHaveTextAsync("已登记", DeskPages.RegistryAnswer);
        await Expect(page.GetByTestId("form-item")).ToHaveCountAsync(1);
        Assert.Empty(errors);
    }

    private static (string IdNumber, DateOnly Birth) NewChild(string community)
    {
        var birth = CityDate.Today.AddDays(-4);
        return (ChildNumbers.Next(community, birth, girl: true), birth);
    }

    /// <summary>A new birth (a girl) with every required field and her mother, typed in but not yet sent.</summary>
    private static async Task FillBirthAsync(IPage page, string child, DateOnly birth, string mother)
    {
        await page.GetByTestId("new-form-birth").ClickAsync();
        await page.GetByTestId("field-idNumber").FillAsync(child);
        await page.GetByTestId("field-name").FillAsync("李小红");
        await page.GetByTestId("field-sex").SelectOptionAsync("2");
        await page.GetByTestId("field-birthDate").FillAsync(birth.ToString("yyyy-MM-dd"));
        await page.GetByTestId("field-ethnicity").SelectOptionAsync("01");
        await page.GetByTestId("field-motherIdNumber").FillAsync(mother);
    }

    /// <summary>Takes the registry database's write lock until disposed.</summary>
    private async Task<SqliteConnection> HoldRegistryAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(host.DataDirectory, "registry.db"),
            Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        await begin.ExecuteNonQueryAsync();
        return connection;
    }
}
