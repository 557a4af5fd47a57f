using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PopInfo.BrowserTests.Browser;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PopInfo.BrowserTests;

/// <summary>
/// The server's file, paper and board features as the desk page offers them: a GBK CSV file and an Excel workbook
/// uploaded through the page (how the file was read, bad rows by line or row and field), the receipt and day-sheet links
/// (the print pages they open mask the identity number), and the supervisor's board (its communities, cleared or not,
/// read again after 60 s of the page's clock without a reload).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DeskWiringTests(ChromiumFixture chromium, EmbeddedHostFixture host, ITestOutputHelper output)
{
    private Uri Desk => new(host.Collection, "desk");

    [Fact]
    public async Task A_GBK_CSV_file_is_read_as_GB18030_and_its_bad_row_is_listed_by_line_and_field()
    {
        var community = RegionCatalogue.Wuxi.Communities[20].Code;
        var collector = await DeskPages.CreateCollectorAsync(community, "孙静");
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await DeskPages.SignInAndWaitAsync(page, Desk, collector);

        // As Excel on a Chinese Windows saves "CSV (逗号分隔)": GBK, no BOM. The Chinese headers only match if read as such.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var (mother, _) = await DeskPages.RegisterResidentAsync(community);
        var birth = CityDate.Today.AddDays(-3);
        var child = ChildNumbers.Next(community, birth, girl: true);
        var day = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var csv = $"表单类型,公民身份号码,姓名,性别,出生日期,民族,母亲公民身份号码,备注\r\n"
            + $"出生,{child},孙小梅,女,{day},01,{mother},{Guid.NewGuid():N}\r\n"
            + $"出生,{child},孙小梅,女,2025/13/01,01,{mother},\r\n";
        var bytes = Encoding.GetEncoding("GB18030").GetBytes(csv);
        Assert.NotEqual(Encoding.UTF8.GetBytes(csv), bytes);
        await page.GetByLabel("CSV 文件或 Excel 工作簿").SetInputFilesAsync(new FilePayload { Name = "表单.csv", MimeType = "text/csv", Buffer = bytes });
        Assert.Equal(".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            await page.GetByTestId("import-file").GetAttributeAsync("accept"));
        await page.GetByTestId("import-submit").ClickAsync();

        var result = page.GetByTestId("import-result");
        await Expect(result.GetByTestId("import-summary")).ToContainTextAsync("共 2 行：1 行已生成表单并提交，1 行未通过");
        await Expect(result.GetByTestId("import-read-as")).ToHaveTextAsync("读作 GB18030");
        var rows = result.GetByTestId("import-bad-rows").GetByTestId("bad-row");
        Assert.Equal(["3"], await BadLinesAsync(rows));
        await Expect(rows.And(page.Locator("[data-line='3'][data-violation-field='birthDate'][data-rule='csv.date-format']"))).ToContainTextAsync("出生日期");
        await Expect(result.GetByTestId("import-bad-rows").Locator("thead th").First).ToHaveTextAsync("行号");
        await Screenshots.SaveAsync(page, output);

        // In English: "read as".
        await page.GetByTestId("lang-toggle").ClickAsync();
        await Expect(result.GetByTestId("import-read-as")).ToHaveTextAsync("read as GB18030");
        await page.GetByTestId("lang-toggle").ClickAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_Excel_workbook_is_read_from_the_named_sheet_and_its_bad_row_is_listed_by_row_and_field()
    {
        var community = RegionCatalogue.Wuxi.Communities[21].Code;
        var collector = await DeskPages.CreateCollectorAsync(community, "周敏");
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await DeskPages.SignInAndWaitAsync(page, Desk, collector);

        // A cover sheet first: the forms are on the sheet named in the box. Row 4 is bad (sex "X"); row 3 is left empty.
        var (mother, _) = await DeskPages.RegisterResidentAsync(community);
        var birth = CityDate.Today.AddDays(-3);
        var child = ChildNumbers.Next(community, birth, girl: false);
        var workbook = new TestWorkbook()
            .Sheet("说明").Row(1, "本工作簿的表单在“表单”工作表")
            .Sheet("表单")
            .Row(1, "表单类型", "公民身份号码", "姓名", "性别", "出生日期", "民族", "母亲公民身份号码", "备注")
            .Row(2, "出生", child, "周小军", "男", birth, "01", mother, Guid.NewGuid().ToString("N"))
            .Row(4, "出生", child, "周小军", "X", birth, "01", mother, null)
            .ToBytes();
        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "表单.xlsx",
            MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Buffer = workbook,
        });
        await page.GetByLabel("工作表（可选）").FillAsync("表单");
        await page.GetByTestId("import-submit").ClickAsync();

        var result = page.GetByTestId("import-result");
        await Expect(result.GetByTestId("import-summary")).ToContainTextAsync("共 2 行：1 行已生成表单并提交，1 行未通过");
        await Expect(result.GetByTestId("import-read-as")).ToHaveTextAsync("读取工作表“表单”");
        var rows = result.GetByTestId("import-bad-rows").GetByTestId("bad-row");
        Assert.Equal(["4"], await BadLinesAsync(rows));
        await Expect(rows.And(page.Locator("[data-line='4'][data-violation-field='sex'][data-rule='sex.code']"))).ToContainTextAsync("性别");
        await Expect(rows.First.Locator("td").First).ToHaveTextAsync("4");
        await Screenshots.SaveAsync(page, output);

        // In English the workbook's bad rows are named by row.
        await page.GetByTestId("lang-toggle").ClickAsync();
        await Expect(result.GetByTestId("import-bad-rows").Locator("thead th").First).ToHaveTextAsync("Row");
        await Expect(result.GetByTestId("import-read-as")).ToHaveTextAsync("read the sheet \"表单\"");
        await page.GetByTestId("lang-toggle").ClickAsync();

        // The template of a form type is the server's download, a workbook.
        await page.GetByTestId("import-templates").Locator("summary").ClickAsync();
        var template = page.GetByTestId("import-template-birth");
        await Expect(template).ToHaveAttributeAsync("href", "/api/v1/forms/import-template?formType=birth");
        var download = await page.RunAndWaitForDownloadAsync(() => template.ClickAsync());
        var path = await download.PathAsync();
        var head = new byte[2];
        await using (var file = File.OpenRead(path))
        {
            Assert.Equal(2, await file.ReadAsync(head));
        }

        Assert.Equal("PK"u8.ToArray(), head);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_receipt_and_day_sheet_links_open_print_pages_with_the_identity_number_masked()
    {
        var community = RegionCatalogue.Wuxi.Communities[22].Code;
        var collector = await DeskPages.CreateCollectorAsync(community, "吴芳");
        var (motherIdNumber, _) = await DeskPages.RegisterResidentAsync(community);
        var birth = CityDate.Today.AddDays(-2);
        var child = ChildNumbers.Next(community, birth, girl: false);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await DeskPages.SignInAndWaitAsync(page, Desk, collector);

        var created = await FetchAsync(page, "POST", "/api/v1/forms", new
        {
            formType = "birth",
            submit = true,
            data = new Dictionary<string, string>
            {
                ["idNumber"] = child, ["name"] = "李小明", ["sex"] = "1", ["birthDate"] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["ethnicity"] = "01", ["motherIdNumber"] = motherIdNumber,
            },
        });
        Assert.True(created.Status == 201, $"Creating the birth failed: {created.Status}");
        var formId = created.Body.GetProperty("id").GetString()!;
        var day = created.Body.GetProperty("day").GetString()!;

        // The list follows the form to the registry's answer; the accepted form offers its receipt.
        await page.GetByTestId("refresh-forms").ClickAsync();
        var form = page.Locator($"[data-testid=form-item][data-form-id='{formId}']");
        await Expect(form.GetByTestId("form-state")).ToHaveTextAsync("已登记", DeskPages.RegistryAnswer);
        var receipt = form.GetByTestId("form-receipt");
        await Expect(receipt).ToHaveAttributeAsync("href", $"/desk/print/receipts/{formId}");
        await Expect(receipt).ToHaveAttributeAsync("target", "_blank");
        await Expect(receipt).ToHaveAttributeAsync("rel", "noopener");
        await Expect(receipt).ToContainTextAsync("打印回执");
        var printed = await page.RunAndWaitForPopupAsync(() => receipt.ClickAsync());
        await Expect(printed.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("受理回执");
        await Expect(printed.Locator("[data-field=idNumber]")).ToHaveTextAsync(IdentityNumber.Mask(child));
        Assert.DoesNotContain(child, await printed.ContentAsync(), StringComparison.Ordinal);
        await Screenshots.SaveAsync(printed, output, "The_receipt_opened_from_the_desk");
        await printed.CloseAsync();

        // The day's report: the export and the day sheet of the form's day.
        await page.GetByTestId("report-day").FillAsync(day);
        await page.GetByTestId("load-report").ClickAsync();
        await Expect(page.GetByTestId("report").Locator(".meta").First).ToContainTextAsync(day);
        var export = page.GetByTestId("report-export");
        await Expect(export).ToHaveAttributeAsync("href", $"/api/v1/communities/{community}/days/{day}/forms.xlsx");
        await Expect(export).ToHaveTextAsync("导出 Excel");
        var sheet = page.GetByTestId("report-day-sheet");
        await Expect(sheet).ToHaveAttributeAsync("href", $"/desk/print/days/{community}/{day}");
        await Expect(sheet).ToHaveAttributeAsync("target", "_blank");
        await Expect(sheet).ToHaveAttributeAsync("rel", "noopener");
        await Screenshots.SaveAsync(page, output);
        var daySheet = await page.RunAndWaitForPopupAsync(() => sheet.ClickAsync());
        await Expect(daySheet.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("日清单");
        await Expect(daySheet.Locator("table[data-table=forms] tbody tr")).ToHaveCountAsync(1);
        await Expect(daySheet.Locator("table[data-table=forms] tbody")).ToContainTextAsync(IdentityNumber.Mask(child));
        Assert.DoesNotContain(child, await daySheet.ContentAsync(), StringComparison.Ordinal);
        await Screenshots.SaveAsync(daySheet, output, "The_day_sheet_opened_from_the_desk");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_supervisor_sees_the_streets_board_and_it_is_read_again_after_60_seconds_without_a_reload()
    {
        var street = RegionCatalogue.Wuxi.Streets[^3];
        var communities = RegionCatalogue.Wuxi.ChildrenOf(street.Code).Select(c => c.Code).ToList();
        Assert.True(communities.Count >= 2, "the street needs two communities");
        var community = communities[0];
        var supervisor = await PeoplePages.CreateAccountAsync("supervisor", street.Code, "郑督导", DeskPages.Password);
        var collector = await DeskPages.CreateCollectorAsync(community, "冯丽");

        // The collector's community starts the day cleared: what an earlier run left open is withdrawn.
        await using var collectorContext = await chromium.NewContextAsync();
        var collectorPage = await collectorContext.NewPageAsync();
        await DeskPages.SignInAndWaitAsync(collectorPage, Desk, collector);
        var (listed, forms) = await FetchAsync(collectorPage, "GET", "/api/v1/forms");
        Assert.Equal(200, listed);
        foreach (var open in forms.EnumerateArray().Where(f => f.GetProperty("state").GetString() is "draft" or "rejected"))
        {
            var (withdrawn, _) = await FetchAsync(collectorPage, "POST", $"/api/v1/forms/{open.GetProperty("id").GetString()}/withdraw",
                new { revision = open.GetProperty("revision").GetInt32(), reason = "测试前清理" });
            Assert.Equal(200, withdrawn);
        }

        // The supervisor's page runs on Playwright's clock: 60 s pass when the test says so.
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        var reads = 0;
        page.Request += (_, request) =>
        {
            if (request.Url.Contains($"/api/v1/streets/{street.Code}/board?days=7", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref reads);
            }
        };
        await page.Clock.InstallAsync(new() { TimeDate = DateTime.UtcNow });
        await page.GotoAsync(Desk.ToString());
        await DeskPages.SignInAsync(page, supervisor);
        await Expect(page).ToHaveURLAsync(Desk.ToString());

        var board = page.GetByTestId("board");
        await Expect(board).ToBeVisibleAsync();
        await Expect(page.GetByTestId("form-types")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("who")).ToHaveTextAsync("郑督导（" + supervisor + "） · 街道督导");
        await Expect(board.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync(street.Name);
        var rows = board.GetByTestId("board-community");
        await Expect(rows).ToHaveCountAsync(communities.Count);
        Assert.Equal(communities, await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.community)"));
        await Expect(rows.First.GetByTestId("board-day")).ToHaveCountAsync(7);
        var today = rows.First.GetByTestId("board-day").First;
        var day = CityDate.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await Expect(today).ToHaveAttributeAsync("data-day", day);
        await Expect(today).ToHaveAttributeAsync("data-cleared", "true");
        await Expect(today.GetByTestId("board-cleared")).ToHaveTextAsync("已日清");
        await Expect(today).ToContainTextAsync("✓");
        var updated = page.GetByTestId("board-updated");
        await Expect(updated).ToHaveTextAsync(UpdatedAt());
        var firstRead = await updated.GetAttributeAsync("data-read-at");
        Assert.Equal(1, reads);
        await Screenshots.SaveAsync(page, output, "The_board_of_a_street");

        // A draft in the community: the day is not cleared any more. Half a minute later the board has not asked again.
        var (drafted, _) = await FetchAsync(collectorPage, "POST", "/api/v1/forms", new
        {
            formType = "birth",
            data = new Dictionary<string, string> { ["name"] = "冯小红", ["sex"] = "2" },
        });
        Assert.Equal(201, drafted);
        await page.Clock.RunForAsync(30_000);
        await Expect(today).ToHaveAttributeAsync("data-cleared", "true");
        Assert.Equal(1, reads);

        // At 60 s it is read again, without a reload: the community's day is not cleared, the time of the read is new.
        await page.Clock.RunForAsync(30_000);
        await Expect(today).ToHaveAttributeAsync("data-cleared", "false");
        await Expect(today.GetByTestId("board-cleared")).ToHaveTextAsync("未日清");
        await Expect(today).ToContainTextAsync("✗");
        await Expect(updated).Not.ToHaveAttributeAsync("data-read-at", firstRead!);
        Assert.Equal(2, reads);
        await Screenshots.SaveAsync(page, output);

        // Hidden tabs do not read it.
        await page.EvaluateAsync("() => { Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }); }");
        await page.Clock.RunForAsync(120_000);
        Assert.Equal(2, reads);
        Assert.Empty(errors);
    }

    /// <summary>The lines (or rows) of the bad rows listed, each once; every violation is printed.</summary>
    private async Task<string[]> BadLinesAsync(ILocator rows)
    {
        var listed = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.line + ' ' + r.dataset.violationField + ' ' + r.dataset.rule)");
        foreach (var row in listed)
        {
            output.WriteLine("bad row: " + row);
        }

        return [.. listed.Select(r => r.Split(' ')[0]).Distinct()];
    }

    private static async Task<(int Status, JsonElement Body)> FetchAsync(IPage page, string method, string path, object? body = null)
    {
        var answer = await page.EvaluateAsync<JsonElement>(
            """
            async ([method, path, body]) => {
              const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json, application/problem+json' } };
              if (body !== null) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
              const response = await fetch(path, init);
              return { status: response.status, body: await response.json() };
            }
            """, new object?[] { method, path, body });
        return (answer.GetProperty("status").GetInt32(), answer.GetProperty("body"));
    }

    [GeneratedRegex(@"^更新于 \d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}$")]
    private static partial Regex UpdatedAt();
}
