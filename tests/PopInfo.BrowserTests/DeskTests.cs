using System.Text;
using Microsoft.Playwright;
using PopInfo.BrowserTests.Browser;
using PopInfo.Domain.Regions;
using PopInfo.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PopInfo.BrowserTests;

/// <summary>
/// The collector's desk page (/desk on the collection service) as a collector's browser shows it. Each test
/// has its own collector account and its own community (the daily report and closing are per community).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DeskTests(ChromiumFixture chromium, EmbeddedHostFixture host, ITestOutputHelper output)
{
    private const string Password = DeskPages.Password;

    private static readonly Uri Registry = DeskPages.Registry;

    private static readonly LocatorAssertionsToHaveTextOptions RegistryAnswer = DeskPages.RegistryAnswer;

    private Uri Desk => new(host.Collection, "desk");

    [Fact]
    public async Task A_collector_signs_in_corrects_a_refused_birth_and_sees_the_registry_accept_it()
    {
        var community = RegionCatalogue.Wuxi.Communities[0].Code;
        var collector = await CreateCollectorAsync(community, "张丽");
        var motherIdNumber = await RegisterResidentAsync(community);
        var birth = CityDate.Today.AddDays(-1);
        var child = ChildNumbers.Next(community, birth, girl: false);
        var mistyped = child[..17] + (child[17] == '0' ? '1' : '0');
        var bureau = await CreateDepartmentAsync(community);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);

        var response = await page.GotoAsync(Desk.ToString());
        Assert.Equal(200, response?.Status);
        var headers = await response!.AllHeadersAsync();
        Assert.StartsWith("default-src 'self'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("no-store", headers["cache-control"]);
        await AssertFitsAsync(page);

        await SignInAsync(page, collector);
        await Expect(page.GetByTestId("who")).ToContainTextAsync("张丽");
        await Expect(page.GetByTestId("who-community")).ToContainTextAsync(community);

        // English, remembered across a reload, and back to Chinese.
        var title = page.GetByRole(AriaRole.Heading, new() { Level = 1 });
        await page.GetByTestId("lang-toggle").ClickAsync();
        await Expect(title).ToHaveTextAsync("Community collector's desk");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("new-form-birth")).ToContainTextAsync("Birth");
        await page.ReloadAsync();
        await Expect(title).ToHaveTextAsync("Community collector's desk");
        await page.GetByTestId("lang-toggle").ClickAsync();
        await Expect(title).ToHaveTextAsync("社区信息采集台");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");

        // A birth with a mistyped identity number: refused, the violation next to its field, nothing stored.
        await page.GetByTestId("new-form-birth").ClickAsync();
        var editor = page.GetByTestId("form-editor");
        await Expect(editor.GetByRole(AriaRole.Heading)).ToContainTextAsync("出生登记");
        await page.GetByTestId("field-idNumber").FillAsync(mistyped);
        await page.GetByTestId("field-name").FillAsync("李小明");
        await page.GetByTestId("field-sex").SelectOptionAsync("1");
        await page.GetByTestId("field-birthDate").FillAsync(birth.ToString("yyyy-MM-dd"));
        await page.GetByTestId("field-ethnicity").SelectOptionAsync("01");
        await page.GetByTestId("field-motherIdNumber").FillAsync(motherIdNumber);
        await editor.GetByRole(AriaRole.Button, new() { Name = "提交", Exact = true }).ClickAsync();

        var idNumberError = page.GetByTestId("error-idNumber");
        await Expect(idNumberError).ToContainTextAsync("id-number.check-character");
        await Expect(idNumberError).ToContainTextAsync("公民身份号码");
        await Expect(page.GetByTestId("field-idNumber")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByTestId("field-name")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await AssertFitsAsync(page);
        await Screenshots.SaveAsync(page, output, "A_birth_refused_for_a_mistyped_identity_number");

        // Corrected and submitted: the list follows the form until the registry accepts it, with its version.
        await page.GetByTestId("field-idNumber").FillAsync(child);
        await editor.GetByRole(AriaRole.Button, new() { Name = "提交", Exact = true }).ClickAsync();
        await Expect(editor).ToBeHiddenAsync();
        var form = page.GetByTestId("form-item").Filter(new() { HasText = child });
        await Expect(form.GetByTestId("form-type")).ToHaveTextAsync("出生登记");
        await Expect(form.GetByTestId("form-state")).ToHaveTextAsync("已登记", RegistryAnswer);
        await Expect(form.GetByTestId("form-registry")).ToContainTextAsync("登记版本 1");
        await Expect(page.GetByTestId("form-item")).ToHaveCountAsync(1);

        // Where it went: the bureau subscribed to births in the community has it (embedded mode: in its feed).
        await form.GetByTestId("form-deliveries-show").ClickAsync();
        await Expect(form.GetByTestId("form-deliveries")).ToContainTextAsync(bureau);
        await Expect(form.GetByTestId("form-deliveries")).ToContainTextAsync("可经订阅接口读取");

        using (var registry = ServiceProcess.RegistryClient(Registry))
        {
            var (found, person) = await registry.GetJsonAsync($"/api/v1/persons/by-id-number/{child}");
            Assert.Equal(200, found);
            Assert.Equal("李小明", (string?)person["person"]?["name"]);
        }

        await AssertFitsAsync(page);
        await Screenshots.SaveAsync(page, output);

        // Signing out ends the provider's session too: back at the desk, signing in asks for the password again.
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Desk.ToString());
        await Expect(page.GetByTestId("sign-in-submit")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Expect(page.GetByLabel("密码 Password")).ToBeVisibleAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_person_found_by_identity_number_opens_a_prefilled_form_and_a_day_with_a_draft_closes_only_once_it_is_withdrawn()
    {
        var community = RegionCatalogue.Wuxi.Communities[1].Code;
        var collector = await CreateCollectorAsync(community, "李强");
        var idNumber = await RegisterResidentAsync(community);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await page.GotoAsync(Desk.ToString());

        // A wrong password is named as such at the provider, which then sends the browser back to the desk.
        await SignInAsync(page, collector, "not-the-password");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong user name or password");
        await SignInAtProviderAsync(page, collector, Password);
        await Expect(page).ToHaveURLAsync(Desk.ToString());

        await page.GetByTestId("find-query").FillAsync(idNumber);
        await page.GetByRole(AriaRole.Button, new() { Name = "查找", Exact = true }).ClickAsync();
        var person = page.GetByTestId("person");
        await Expect(person).ToHaveCountAsync(1);
        await Expect(person).ToContainTextAsync(idNumber);
        await person.GetByTestId("open-correction").ClickAsync();

        await Expect(page.GetByTestId("form-editor").GetByRole(AriaRole.Heading)).ToContainTextAsync("信息更正");
        await Expect(page.GetByTestId("field-idNumber")).ToHaveValueAsync(idNumber);
        await Expect(page.GetByTestId("field-expectedVersion")).ToHaveValueAsync("1");
        await page.GetByTestId("field-reason").FillAsync("职业变更");
        await page.GetByTestId("field-occupation").FillAsync("教师");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿", Exact = true }).ClickAsync();
        var draft = page.GetByTestId("form-item").Filter(new() { HasText = idNumber });
        await Expect(draft.GetByTestId("form-state")).ToHaveTextAsync("草稿");

        // The draft is in the way of closing the day (the report must have been read for the button to be there).
        await Expect(page.GetByTestId("report-cleared")).ToContainTextAsync("未清零");
        await page.GetByRole(AriaRole.Button, new() { Name = "关闭当日", Exact = true }).ClickAsync();
        await page.GetByTestId("close-day-confirm").ClickAsync();
        var refusal = page.GetByTestId("close-day-problem");
        await Expect(refusal).ToContainTextAsync("day.not-cleared");
        await Expect(refusal.GetByTestId("blocking-form")).ToContainTextAsync("信息更正");

        // Withdrawn with a reason, it no longer is.
        await draft.GetByRole(AriaRole.Button, new() { Name = "撤回", Exact = true }).ClickAsync();
        var dialog = page.GetByTestId("withdraw-dialog");
        await dialog.GetByLabel("撤回原因").FillAsync("重复录入");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "撤回", Exact = true }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(draft.GetByTestId("form-state")).ToHaveTextAsync("已撤回");
        await Expect(draft).ToContainTextAsync("重复录入");
        var withdrawn = page.GetByTestId("report-total").GetByRole(AriaRole.Cell).Nth(5);
        await Expect(withdrawn).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("report-cleared")).ToContainTextAsync("已清零");

        await page.GetByRole(AriaRole.Button, new() { Name = "关闭当日", Exact = true }).ClickAsync();
        await page.GetByTestId("close-day-confirm").ClickAsync();
        await Expect(page.GetByTestId("report-closed")).ToContainTextAsync("当日已关闭");
        await Expect(page.GetByTestId("close-day-problem")).ToBeEmptyAsync();
        await AssertFitsAsync(page);
        await Screenshots.SaveAsync(page, output);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_CSV_upload_lists_its_bad_rows_by_line_field_and_rule()
    {
        var community = RegionCatalogue.Wuxi.Communities[2].Code;
        var collector = await CreateCollectorAsync(community, "王敏");

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await page.GotoAsync(Desk.ToString());
        await SignInAsync(page, collector);

        // docs/collection-csv.md's example, with a note of its own so that the file is new to the desk.
        var csv = $"""
            表单类型,公民身份号码,出生日期,性别,备注
            出生,320213202505120220,2025-05-12,女,{Guid.NewGuid():N}
            出生,320213202505120220,2025/13/01,F,
            死亡,320211194503120171
            """;
        await page.GetByLabel("CSV 文件").SetInputFilesAsync(new FilePayload
        {
            Name = "forms.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "上传", Exact = true }).ClickAsync();

        var result = page.GetByTestId("import-result");
        await Expect(result.GetByTestId("import-summary")).ToContainTextAsync("共 3 行");
        var rows = result.GetByTestId("import-bad-rows").GetByTestId("bad-row");
        await Expect(rows.And(page.Locator("[data-line='3'][data-rule='sex.code']"))).ToContainTextAsync("性别");
        await Expect(rows.And(page.Locator("[data-line='3'][data-rule='csv.date-format']"))).ToContainTextAsync("出生日期");
        await Expect(rows.And(page.Locator("[data-line='4'][data-rule='csv.column-count']"))).ToHaveCountAsync(1);
        await AssertFitsAsync(page);
        await Screenshots.SaveAsync(page, output);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_start_page_links_the_desk_which_only_the_collection_service_serves()
    {
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        Assert.Equal(404, (await context.APIRequest.GetAsync("http://127.0.0.1:5101/desk")).Status);
        await page.GotoAsync(host.StartPage.ToString());

        await page.GetByRole(AriaRole.Link, new() { Name = "采集台" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(Desk.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("社区信息采集台");
        await Expect(page.GetByTestId("sign-in-submit")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Every_file_under_Desk_is_served_by_its_path_with_its_content_type_and_the_pages_policy()
    {
        // What the project file embeds by its rule: every file under Desk/ and its sub-folders but the C#.
        var folder = Path.Combine(RepositoryRoot.Path, "services", "PopInfo.Collection", "Desk");
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".cs", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Contains("js/main.js", files);
        Assert.Contains("index.html", files);

        await using var context = await chromium.NewContextAsync();
        // The HTML names the others by this build's version (/desk/_v/{version}/…): those answers are kept without asking again.
        var html = await (await context.APIRequest.GetAsync(new Uri(host.Collection, "desk").ToString())).TextAsync();
        var version = System.Text.RegularExpressions.Regex.Match(html, "/desk/_v/([0-9a-f]{16})/js/main\\.js").Groups[1].Value;
        Assert.NotEmpty(version);
        foreach (var file in files)
        {
            var response = await context.APIRequest.GetAsync(new Uri(host.Collection, "desk/" + file).ToString());
            Assert.True(response.Status == 200, $"/desk/{file}: {response.Status}");
            var expected = Path.GetExtension(file) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                var other => throw new InvalidOperationException($"/desk/{file}: add the content type of {other} here."),
            };
            Assert.Equal(expected, response.Headers["content-type"]);
            Assert.StartsWith("default-src 'self'; script-src 'self';", response.Headers["content-security-policy"], StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers["x-content-type-options"]);
            var source = await File.ReadAllBytesAsync(Path.Combine(folder, file));
            if (expected.StartsWith("text/html", StringComparison.Ordinal))
            {
                // The HTML's placeholders are written in at start (the versioned folder, a modulepreload link per module).
                var served = await response.TextAsync();
                Assert.DoesNotContain("%ASSETS%", served, StringComparison.Ordinal);
                Assert.DoesNotContain("%MODULEPRELOAD%", served, StringComparison.Ordinal);
                Assert.Equal("no-store", response.Headers["cache-control"]);
                continue;
            }

            Assert.Equal(source.Length, (await response.BodyAsync()).Length);
            Assert.Equal("no-cache", response.Headers["cache-control"]);
            var versioned = await context.APIRequest.GetAsync(new Uri(host.Collection, $"desk/_v/{version}/{file}").ToString());
            Assert.True(versioned.Status == 200, $"/desk/_v/{version}/{file}: {versioned.Status}");
            Assert.Equal(source.Length, (await versioned.BodyAsync()).Length);
            Assert.Equal("public, max-age=31536000, immutable", versioned.Headers["cache-control"]);
            Assert.Equal(expected, versioned.Headers["content-type"]);
        }

        output.WriteLine($"{files.Count} files under Desk/ served: {string.Join(", ", files)}");
        Assert.Equal(404, (await context.APIRequest.GetAsync(new Uri(host.Collection, "desk/DeskPage.cs").ToString())).Status);
    }

    /// <summary>
    /// A collector quick enough to look someone up before the desk's first reads are answered still gets the person's
    /// form buttons: the form types arriving afterwards draw the person again (found by a CI run where they did not).
    /// </summary>
    [Fact]
    public async Task A_person_found_before_the_form_types_arrive_gets_the_form_buttons_once_they_do()
    {
        var community = RegionCatalogue.Wuxi.Communities[1].Code;
        var collector = await CreateCollectorAsync(community, "赵敏");
        var idNumber = await RegisterResidentAsync(community);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        var formTypesHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/api/v1/form-types", async route =>
        {
            await formTypesHeld.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync(Desk.ToString());
        await SignInAsync(page, collector);
        await Expect(page).ToHaveURLAsync(Desk.ToString());

        await page.GetByTestId("find-query").FillAsync(idNumber);
        await page.GetByRole(AriaRole.Button, new() { Name = "查找", Exact = true }).ClickAsync();
        var person = page.GetByTestId("person");
        await Expect(person).ToContainTextAsync(idNumber);
        await Expect(person.GetByTestId("open-correction")).ToHaveCountAsync(0);   // the types are not known yet

        formTypesHeld.SetResult();
        await Expect(person.GetByTestId("open-correction")).ToBeEnabledAsync();
        await Expect(person.GetByTestId("open-death")).ToBeEnabledAsync();
        Assert.Empty(errors);
    }

    private static Task SignInAsync(IPage page, string userName, string password = DeskPages.Password) =>
        DeskPages.SignInAsync(page, userName, password);

    private static Task SignInAtProviderAsync(IPage page, string userName, string password) =>
        PeoplePages.SignInAtProviderAsync(page, userName, password);

    /// <summary>The page has no horizontal scrolling on a small laptop's screen (1366×768) nor on 1280×720.</summary>
    private static async Task AssertFitsAsync(IPage page)
    {
        foreach (var (width, height) in new[] { (1366, 768), (1280, 720) })
        {
            await page.SetViewportSizeAsync(width, height);
            var sizes = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            Assert.True(sizes[0] <= sizes[1], $"At {width}×{height} the page is {sizes[0]} px wide in a {sizes[1]} px window: it scrolls sideways.");
        }
    }

    private Task<string> CreateCollectorAsync(string community, string displayName)
    {
        _ = host;
        return DeskPages.CreateCollectorAsync(community, displayName);
    }

    /// <summary>A living woman registered in the community, directly at the registry; returns her identity number.</summary>
    private static async Task<string> RegisterResidentAsync(string community) => (await DeskPages.RegisterResidentAsync(community)).IdNumber;

    /// <summary>A department (by the exchange's admin API) subscribed to births in the community; returns its name.</summary>
    private static async Task<string> CreateDepartmentAsync(string community)
    {
        using var exchange = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:5103/") };
        exchange.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ExchangeHost.AdminKey);
        var code = "health-" + Guid.NewGuid().ToString("N")[..6];
        var name = "卫健委" + code[^6..];
        var (created, body) = await exchange.PostAsync("/api/v1/departments", new { code, name, contact = "0510-1" });
        Assert.True(created == 201, body.ToJsonString());
        var (subscribed, subscription) = await exchange.PostAsync($"/api/v1/departments/{code}/subscriptions",
            new { changeTypes = new[] { "born" }, regions = new[] { community }, fields = new[] { "sex", "birthDate" }, purpose = "Maternal and child health records." });
        Assert.True(subscribed == 201, subscription.ToJsonString());
        return name;
    }
}
