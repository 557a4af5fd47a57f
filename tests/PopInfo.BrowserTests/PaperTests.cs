using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
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
/// Paper where offices need paper: a collector's receipt for an accepted form and the community's day sheet, opened in
/// Chromium under the desk's session, printed to PDF as the browser prints them and read back with pdftotext (Debian's
/// poppler-utils, installed by deploy/local/infra.sh): the identity number only masked, each on one page; a long day goes on
/// over pages with the table's header on each. The PDFs are kept beside the screenshots (TestResults/pdf).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class PaperTests(ChromiumFixture chromium, EmbeddedHostFixture host, ITestOutputHelper output)
{
    private const string Password = "paper-password-1";

    private static readonly Uri Registry = new("http://127.0.0.1:5101/");

    private static string PdfFolder => Path.Combine(Path.GetDirectoryName(Screenshots.Folder)!, "pdf");

    [Fact]
    public async Task A_receipt_and_the_day_sheet_print_on_one_page_each_with_the_identity_number_masked()
    {
        var community = RegionCatalogue.Wuxi.Communities[^5].Code;
        var collector = await PeoplePages.CreateAccountAsync("collector", community, "张丽", Password);
        var motherIdNumber = await RegisterResidentAsync(community);
        var birth = CityDate.Today.AddDays(-2);
        var child = ChildNumbers.Next(community, birth, girl: false);

        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await SignInAsync(page, collector);

        // A birth submitted as the desk page submits it, and accepted by the registry.
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
        Assert.True(created.Status == 201, created.Body.ToString());
        var formId = created.Body.GetProperty("id").GetString()!;
        var day = created.Body.GetProperty("day").GetString()!;
        var form = await WaitForAnswerAsync(page, formId);
        Assert.Equal("accepted", form.GetProperty("state").GetString());
        var sequence = form.GetProperty("registry").GetProperty("sequence").GetInt64();

        // The receipt: its own policy, the person named, the number masked; printed, one page.
        var response = await page.GotoAsync(new Uri(host.Collection, $"desk/print/receipts/{formId}").ToString());
        Assert.Equal(200, response?.Status);
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", (await response!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("受理回执");
        await Expect(page.Locator("[data-field=idNumber]")).ToHaveTextAsync(IdentityNumber.Mask(child));
        await Screenshots.SaveAsync(page, output, "A_receipt_to_hand_to_the_resident");
        var receipt = await PrintAsync(page, "receipt");
        Assert.Equal(1, receipt.Pages);
        AssertMaskedOnly(receipt.Text, child);
        Assert.DoesNotContain(Compact(motherIdNumber), Compact(receipt.Text), StringComparison.Ordinal);
        Assert.Contains("受理回执", receipt.Text, StringComparison.Ordinal);
        Assert.Contains("李小明", receipt.Text, StringComparison.Ordinal);
        Assert.Contains(formId, Compact(receipt.Text), StringComparison.Ordinal);
        Assert.Contains(sequence.ToString(CultureInfo.InvariantCulture), receipt.Text, StringComparison.Ordinal);

        // The day sheet of the community's day: the form on it, masked; printed, one page.
        response = await page.GotoAsync(new Uri(host.Collection, $"desk/print/days/{community}/{day}").ToString());
        Assert.Equal(200, response?.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("日清单");
        await Expect(page.Locator("table[data-table=forms] tbody tr")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(page, output, "A_day_sheet_to_sign");
        var sheet = await PrintAsync(page, "day-sheet");
        Assert.Equal(1, sheet.Pages);
        AssertMaskedOnly(sheet.Text, child);
        Assert.Contains("一日一清", sheet.Text, StringComparison.Ordinal);
        Assert.Contains("督导（签字）", sheet.Text, StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_long_day_sheet_goes_on_over_pages_with_the_table_header_on_each()
    {
        var community = RegionCatalogue.Wuxi.Communities[^6].Code;
        var collector = await PeoplePages.CreateAccountAsync("collector", community, "王敏", Password);
        await using var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = PeoplePages.WatchForErrors(page);
        await SignInAsync(page, collector);

        // Sixty drafts: more than one sheet holds.
        var birth = CityDate.Today.AddDays(-3);
        var numbers = Enumerable.Range(0, 60).Select(i => IdentityNumber.Create(community[..6], birth, (i * 2) + 2)).ToList();
        var day = "";
        foreach (var idNumber in numbers)
        {
            var draft = await FetchAsync(page, "POST", "/api/v1/forms", new
            {
                formType = "birth",
                data = new Dictionary<string, string> { ["idNumber"] = idNumber, ["name"] = "赵小红", ["sex"] = "2", ["birthDate"] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            });
            Assert.True(draft.Status == 201, draft.Body.ToString());
            day = draft.Body.GetProperty("day").GetString()!;
        }

        var response = await page.GotoAsync(new Uri(host.Collection, $"desk/print/days/{community}/{day}").ToString());
        Assert.Equal(200, response?.Status);
        await Expect(page.Locator("table[data-table=forms] tbody tr")).ToHaveCountAsync(numbers.Count);
        await Screenshots.SaveAsync(page, output, "A_long_day_sheet");
        var sheet = await PrintAsync(page, "long-day-sheet");

        Assert.True(sheet.Pages >= 2, $"{numbers.Count} forms printed on {sheet.Pages} page(s)");
        for (var p = 1; p <= sheet.Pages; p++)
        {
            var text = await PdfTextAsync(sheet.Path, p);
            Assert.True(text.Contains("序号", StringComparison.Ordinal) || p == sheet.Pages && !text.Contains("赵*", StringComparison.Ordinal),
                $"page {p} of {sheet.Pages} has forms but not the table's header:\n{text}");
        }

        foreach (var idNumber in numbers)
        {
            AssertMaskedOnly(sheet.Text, idNumber);
        }

        Assert.Contains("采集员（签字）", await PdfTextAsync(sheet.Path, sheet.Pages), StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    /// <summary>The masked number is printed; the whole number is nowhere, even with the text's spaces and line breaks taken out.</summary>
    private static void AssertMaskedOnly(string text, string idNumber)
    {
        Assert.Contains(IdentityNumber.Mask(idNumber), Compact(text), StringComparison.Ordinal);
        Assert.DoesNotContain(idNumber, Compact(text), StringComparison.Ordinal);
    }

    private static string Compact(string text) => Whitespace().Replace(text, "");

    private sealed record PrintedPdf(string Path, int Pages, string Text);

    /// <summary>Prints the page to PDF as Chromium prints it (the page's own paper size), keeps the file, and reads it back.</summary>
    private async Task<PrintedPdf> PrintAsync(IPage page, string name)
    {
        Directory.CreateDirectory(PdfFolder);
        var path = Path.Combine(PdfFolder, $"{nameof(PaperTests)}.{name}.pdf");
        await page.PdfAsync(new PagePdfOptions { Path = path, PreferCSSPageSize = true, PrintBackground = true });
        output.WriteLine($"pdf: {path}");
        var info = await RunAsync("pdfinfo", path);
        var pages = int.Parse(PagesLine().Match(info).Groups[1].Value, CultureInfo.InvariantCulture);
        var text = await RunAsync("pdftotext", "-layout", path, "-");
        // pdftotext ends each page with a form feed: the two tools agree on the count.
        Assert.Equal(pages, text.Count(c => c == '\f'));
        return new PrintedPdf(path, pages, text);
    }

    private static Task<string> PdfTextAsync(string path, int page) =>
        RunAsync("pdftotext", "-layout", "-f", page.ToString(CultureInfo.InvariantCulture), "-l", page.ToString(CultureInfo.InvariantCulture), path, "-");

    /// <summary>Runs one of poppler-utils' tools; without them the test fails (never skips), saying how to install them.</summary>
    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"{tool} did not start ({ex.Message}): the browser tests read printed PDFs back with Debian's poppler-utils. " +
                "Run `bash deploy/local/infra.sh chromium` (installs chromium, its fonts and poppler-utils with apt); test.sh does. " +
                "The tests fail rather than skip without it.", ex);
        }

        using (process)
        {
            var stdout = process!.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}");
            return await stdout;
        }
    }

    /// <summary>
    /// At the desk's sign-in (where its sign-in button leads), the provider's page, and back — to the collection service's
    /// plain JSON description rather than the desk page, so that these tests depend on the session and the API only, not on
    /// the page's script: the calls below are made from that origin as the page makes them.
    /// </summary>
    private async Task SignInAsync(IPage page, string userName)
    {
        await page.GotoAsync(new Uri(host.Collection, "account/sign-in?returnUrl=%2Fapi%2Fv1%2Fservice").ToString());
        await PeoplePages.SignInAtProviderAsync(page, userName, Password);
        await Expect(page).ToHaveURLAsync(new Uri(host.Collection, "api/v1/service").ToString());
    }

    /// <summary>A call of the desk's API from the page, as its script makes them (same origin, the session's cookie).</summary>
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

    /// <summary>Polls the form until the registry has answered (in-memory bus: usually well under a second).</summary>
    private static async Task<JsonElement> WaitForAnswerAsync(IPage page, string formId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (_, form) = await FetchAsync(page, "GET", $"/api/v1/forms/{formId}");
            if (form.GetProperty("state").GetString() != "submitted" || DateTime.UtcNow > deadline)
            {
                return form;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A living woman registered in the community, directly at the registry; returns her identity number.</summary>
    private static async Task<string> RegisterResidentAsync(string community)
    {
        using var registry = ServiceProcess.RegistryClient(Registry);
        var body = People.ResidentOf(community, "2");
        var (status, created) = await registry.PostAsync("/api/v1/persons", body);
        Assert.True(status == 201, $"Registering a resident failed: {status} {created}");
        return (string)body["idNumber"]!;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^Pages:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex PagesLine();
}
