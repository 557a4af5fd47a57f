using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using PopInfo.BrowserTests.Browser;
using PopInfo.Domain.Regions;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PopInfo.BrowserTests;

/// <summary>
/// Each screen of the desk checked by axe-core (vendored in this project, vendor/axe-core: the page never loads it): no
/// violation of impact "serious" or "critical"; the others are printed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DeskAccessibilityTests(ChromiumFixture chromium, EmbeddedHostFixture host, ITestOutputHelper output)
{
    private static readonly string AxeScript = Path.Combine(AppContext.BaseDirectory, "vendor", "axe-core", "axe.min.js");

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private Uri Desk => new(host.Collection, "desk");

    [Fact]
    public async Task No_desk_screen_has_a_serious_or_critical_accessibility_violation()
    {
        var community = RegionCatalogue.Wuxi.Communities[12].Code;
        var collector = await DeskPages.CreateCollectorAsync(community, "钱芳");
        var (idNumber, _) = await DeskPages.RegisterResidentAsync(community);

        await using var context = await AxeContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        var serious = new List<string>();

        await page.GotoAsync(Desk.ToString());
        await Expect(page.GetByTestId("sign-in-submit")).ToBeVisibleAsync();
        await CheckAsync(page, "sign-in", serious);

        await DeskPages.SignInAndWaitAsync(page, Desk, collector);
        await CheckAsync(page, "desk", serious);

        // Lookup, and the form opened from it.
        await page.GetByTestId("find-query").FillAsync(idNumber);
        await page.GetByTestId("find-submit").ClickAsync();
        await Expect(page.GetByTestId("person")).ToHaveCountAsync(1);
        await CheckAsync(page, "lookup", serious);
        await page.GetByTestId("person").GetByTestId("open-correction").ClickAsync();
        await page.GetByTestId("field-reason").FillAsync("职业变更");
        await CheckAsync(page, "editor (correction)", serious);
        await page.GetByTestId("save-draft").ClickAsync();
        var draft = page.GetByTestId("form-item").Filter(new() { HasText = idNumber });
        await Expect(draft.GetByTestId("form-state")).ToHaveTextAsync("草稿");

        // A new birth refused: every violation at its field.
        await page.GetByTestId("new-form-birth").ClickAsync();
        await page.GetByTestId("submit-form").ClickAsync();
        await Expect(page.GetByTestId("field-name")).ToHaveAttributeAsync("aria-invalid", "true");
        await CheckAsync(page, "editor (refused birth)", serious);
        await page.GetByTestId("close-editor").ClickAsync();

        // A migrant's form: the region lists and the county search with its list open.
        await page.GetByTestId("new-form-migrant-arrival").ClickAsync();
        await page.GetByTestId("county-search").FillAsync("崇安");
        await Expect(page.GetByTestId("county-option").First).ToBeVisibleAsync();
        await CheckAsync(page, "editor (migrant, county search)", serious);
        await page.GetByTestId("close-editor").ClickAsync();

        // The day: not cleared (the draft), closing refused with the form in the way.
        await page.GetByTestId("close-day").ClickAsync();
        await page.GetByTestId("close-day-confirm").ClickAsync();
        await Expect(page.GetByTestId("blocking-form")).ToHaveCountAsync(1);
        await CheckAsync(page, "days (closing refused)", serious);

        // The withdraw dialog.
        await draft.GetByTestId("form-withdraw").ClickAsync();
        await Expect(page.GetByTestId("withdraw-dialog")).ToBeVisibleAsync();
        await CheckAsync(page, "withdraw dialog", serious);
        await page.GetByTestId("withdraw-dialog").GetByRole(AriaRole.Button, new() { Name = "取消", Exact = true }).ClickAsync();

        // An import with bad rows.
        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "forms.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes($"表单类型,公民身份号码,出生日期,性别,备注\n出生,320213202505120220,2025/13/01,F,{Guid.NewGuid():N}\n"),
        });
        await page.GetByTestId("import-submit").ClickAsync();
        await Expect(page.GetByTestId("import-bad-rows")).ToBeVisibleAsync();
        await page.GetByTestId("import-templates").Locator("summary").ClickAsync();
        await Expect(page.GetByTestId("import-template-birth")).ToBeVisibleAsync();
        await CheckAsync(page, "import (bad rows)", serious);

        // The same in English.
        await page.GetByTestId("lang-toggle").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await CheckAsync(page, "desk in English", serious);

        Assert.True(serious.Count == 0, $"{serious.Count} serious or critical accessibility violation(s):\n" + string.Join("\n", serious));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_supervisors_board_has_no_serious_or_critical_accessibility_violation()
    {
        var street = RegionCatalogue.Wuxi.Streets[^4];
        var supervisor = await PeoplePages.CreateAccountAsync("supervisor", street.Code, "郑督导", DeskPages.Password);
        await using var context = await AxeContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        var serious = new List<string>();
        await page.GotoAsync(Desk.ToString());
        await DeskPages.SignInAsync(page, supervisor);
        await Expect(page.GetByTestId("board-community")).ToHaveCountAsync(RegionCatalogue.Wuxi.ChildrenOf(street.Code).Count);
        await CheckAsync(page, "board", serious);
        await page.GetByTestId("lang-toggle").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await CheckAsync(page, "board in English", serious);
        Assert.True(serious.Count == 0, $"{serious.Count} serious or critical accessibility violation(s):\n" + string.Join("\n", serious));
        Assert.Empty(errors);
    }

    /// <summary>Runs axe on the page as it is; prints every violation, collects the serious and critical ones.</summary>
    private async Task CheckAsync(IPage page, string screen, List<string> serious)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = AxeScript });
        }

        var json = await page.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document);
              return JSON.stringify({
                passes: result.passes.length,
                violations: result.violations.map(v => ({
                  id: v.id, impact: v.impact ?? 'none', help: v.help, nodes: v.nodes.length,
                  targets: v.nodes.slice(0, 4).map(n => n.target.join(' ')) })) });
            }
            """);
        var run = JsonSerializer.Deserialize<AxeRun>(json, Web)!;
        var violations = run.Violations;
        output.WriteLine($"axe, {screen}: {run.Passes} rules passed, {violations.Length} violation(s)");
        // axe really looked: a page with landmarks, labels and headings passes dozens of rules.
        Assert.True(run.Passes >= 10, $"axe passed only {run.Passes} rules on {screen}: did it run?");
        foreach (var v in violations)
        {
            var line = $"  [{v.Impact}] {v.Id}: {v.Help} ({v.Nodes} node(s): {string.Join(" | ", v.Targets)})";
            output.WriteLine(line);
            if (v.Impact is "serious" or "critical")
            {
                serious.Add(screen + ": " + line.Trim());
            }
        }
    }

    private sealed record AxeRun(int Passes, Violation[] Violations);

    private sealed record Violation(string Id, string Impact, string Help, int Nodes, string[] Targets);

    /// <summary>
    /// A context as the other browser tests use, which lets the test inject axe into the page: the page's policy
    /// (script-src 'self') rightly refuses it otherwise. The page under test is the same.
    /// </summary>
    private Task<IBrowserContext> AxeContextAsync() => chromium.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        Locale = "zh-CN",
        TimezoneId = "Asia/Shanghai",
        BypassCSP = true,
    });
}
