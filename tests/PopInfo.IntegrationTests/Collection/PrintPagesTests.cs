using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Statistics;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>
/// The printed pages on PostgreSQL: a receipt for an accepted form and a community's day sheet — self-contained HTML under a
/// policy that admits only their own style, the identity number masked and never whole, every view audited as a read of the
/// person; refused for another community, without a session, and for a form the registry has not accepted.
/// </summary>
public sealed partial class PrintPagesTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    [Fact]
    public async Task A_receipt_shows_an_accepted_form_with_the_identity_number_masked_and_each_view_is_audited()
    {
        var (_, motherIdNumber, _) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");
        var (_, created) = await desk.PostAsync("/api/v1/forms", DeskForms.Birth(motherIdNumber));
        var id = Guid.Parse((string)created["id"]!);
        var form = await DeskFixture.WaitForAnswerAsync(desk, id);
        Assert.Equal("accepted", (string)form["state"]!);
        var child = (string)created["data"]!["idNumber"]!;

        var (status, html, response) = await GetPageAsync(desk, $"/desk/print/receipts/{id}");
        Assert.Equal(200, status);
        AssertSelfContained(response, html);
        Assert.Contains(IdentityNumber.Mask(child), html, StringComparison.Ordinal);
        Assert.DoesNotContain(child, html, StringComparison.Ordinal);
        Assert.DoesNotContain(motherIdNumber, html, StringComparison.Ordinal);
        var text = Text(html);
        Assert.Contains("受理回执 Receipt", text, StringComparison.Ordinal);
        Assert.Contains($"表单编号 Form ID {id}", text, StringComparison.Ordinal);
        Assert.Contains("事项 Form 出生登记 Birth", text, StringComparison.Ordinal);
        Assert.Contains("姓名 Name 李小明", text, StringComparison.Ordinal);
        Assert.Contains($"版本 version 1 · 变更序号 sequence {(long)form["registry"]!["sequence"]!}", text, StringComparison.Ordinal);
        Assert.Contains($"采集员 Collector collector-a", text, StringComparison.Ordinal);
        // The time of acceptance in the city's time (UTC+8).
        var answered = DateTimeOffset.Parse((string)form["transmission"]!["answeredAt"]!, CultureInfo.InvariantCulture).ToOffset(ChinaTime.Offset);
        Assert.Contains($"受理时间 Accepted at {answered:yyyy-MM-dd HH:mm:ss} 北京时间 China time", text, StringComparison.Ordinal);
        Assert.Equal(1, await AuditCountAsync("form.receipt", id.ToString(), "collector-a", "ok"));

        // The street's supervisor prints it too; another community's collector may not, nor anyone without a session.
        using var supervisor = await fixture.SignInAsync("supervisor");
        Assert.Equal(200, (await GetPageAsync(supervisor, $"/desk/print/receipts/{id}")).Status);
        Assert.Equal(1, await AuditCountAsync("form.receipt", id.ToString(), "supervisor", "ok"));
        using var other = await fixture.SignInAsync("collector-b");
        var (forbidden, refusal) = await other.GetJsonAsync($"/desk/print/receipts/{id}");
        Assert.Equal((403, "scope.community"), (forbidden, (string)refusal["rule"]!));
        Assert.Equal(1, await AuditCountAsync("form.receipt", id.ToString(), "collector-b", "forbidden"));
        using var nobody = fixture.Desk.CreateBrowserLikeClient();
        var (unauthenticated, signIn) = await nobody.GetJsonAsync($"/desk/print/receipts/{id}");
        Assert.Equal((401, "session.required"), (unauthenticated, (string)signIn["rule"]!));

        // Only for an accepted form; an unknown form is not found.
        var (_, draft) = await desk.PostAsync("/api/v1/forms", DeskForms.Birth(motherIdNumber, submit: false));
        var (conflict, notYet) = await desk.GetJsonAsync($"/desk/print/receipts/{(string)draft["id"]!}");
        Assert.Equal((409, "state", "receipt.accepted-only"), (conflict, (string)notYet["field"]!, (string)notYet["rule"]!));
        Assert.Equal(1, await AuditCountAsync("form.receipt", (string)draft["id"]!, "collector-a", "refused"));
        Assert.Equal(404, (await desk.GetJsonAsync($"/desk/print/receipts/{Guid.NewGuid()}")).Status);
    }

    [Fact]
    public async Task A_receipt_of_a_form_about_someone_in_the_register_names_them_as_the_register_does()
    {
        var (_, idNumber, _) = await fixture.RegisterResidentAsync(sex: "1");
        using var desk = await fixture.SignInAsync("collector-a");
        var (_, created) = await desk.PostAsync("/api/v1/forms", new { formType = "death", submit = true, data = new { idNumber, deathDate = "2026-01-05" } });
        var id = Guid.Parse((string)created["id"]!);
        Assert.Equal("accepted", (string)(await DeskFixture.WaitForAnswerAsync(desk, id))["state"]!);

        var (status, html, _) = await GetPageAsync(desk, $"/desk/print/receipts/{id}");

        Assert.Equal(200, status);
        var text = Text(html);
        Assert.Contains("事项 Form 死亡登记 Death", text, StringComparison.Ordinal);
        Assert.Contains("姓名 Name 张伟", text, StringComparison.Ordinal);
        Assert.Contains($"公民身份号码 Identity number {IdentityNumber.Mask(idNumber)}", text, StringComparison.Ordinal);
        Assert.DoesNotContain(idNumber, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_day_sheet_counts_the_day_lists_its_forms_masked_and_leaves_lines_to_sign()
    {
        var community = fixture.CommunityB;
        var first = await RegisterAsync(community);
        var second = await RegisterAsync(community);
        using var desk = await fixture.SignInAsync("collector-b");
        var (_, correction) = await desk.PostAsync("/api/v1/forms", new
        {
            formType = "correction", personId = first.Id, expectedVersion = first.Version, submit = true,
            data = new { idNumber = first.IdNumber, occupation = "教师", reason = "职业变更" },
        });
        Assert.Equal("accepted", (string)(await DeskFixture.WaitForAnswerAsync(desk, Guid.Parse((string)correction["id"]!)))["state"]!);
        var (_, draft) = await desk.PostAsync("/api/v1/forms", new { formType = "death", data = new { idNumber = second.IdNumber } });
        var day = (string)draft["day"]!;

        var (status, html, response) = await GetPageAsync(desk, $"/desk/print/days/{community}/{day}");

        Assert.Equal(200, status);
        AssertSelfContained(response, html);
        foreach (var idNumber in new[] { first.IdNumber, second.IdNumber })
        {
            Assert.Contains(IdentityNumber.Mask(idNumber), html, StringComparison.Ordinal);
            Assert.DoesNotContain(idNumber, html, StringComparison.Ordinal);
        }

        // The daily report's counts, in the sheet's order: forms, submitted, accepted, rejected, pending, drafts, withdrawn, late.
        Assert.Equal([2, 1, 1, 0, 0, 1, 0, 0], Counts(html));
        var text = Text(html);
        Assert.Contains($"业务日 business day {day}", text, StringComparison.Ordinal);
        Assert.Contains("未清零：1 张表单待处理", text, StringComparison.Ordinal);
        Assert.Contains("当日未关闭 Day not closed", text, StringComparison.Ordinal);
        Assert.Contains("信息更正 Correction", text, StringComparison.Ordinal);
        Assert.Contains("死亡登记 Death", text, StringComparison.Ordinal);
        Assert.Contains("采集员（签字） Collector", text, StringComparison.Ordinal);
        Assert.Contains("督导（签字） Supervisor", text, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(FormsTable().Match(html).Groups[1].Value, "<tr>"));

        // Audited as a read of the persons on it: the entry names the person the accepted correction is about (the draft names none yet).
        Assert.Equal(1, await AuditCountAsync("day.sheet", first.Id.ToString(), "collector-b", "ok"));

        using var supervisor = await fixture.SignInAsync("supervisor");
        Assert.Equal(200, (await GetPageAsync(supervisor, $"/desk/print/days/{community}/{day}")).Status);
        using var other = await fixture.SignInAsync("collector-a");
        var (forbidden, refusal) = await other.GetJsonAsync($"/desk/print/days/{community}/{day}");
        Assert.Equal((403, "scope.community"), (forbidden, (string)refusal["rule"]!));
        Assert.Equal(1, await AuditCountAsync("day.sheet", day, "collector-a", "refused"));
        var (badDay, problem) = await desk.GetJsonAsync($"/desk/print/days/{community}/2026-13-01");
        Assert.Equal(400, badDay);
        Assert.Equal([("day", "date.format")], problem.Violations());
        Assert.Equal(404, (await desk.GetJsonAsync($"/desk/print/days/999999999999/{day}")).Status);
        using var nobody = fixture.Desk.CreateBrowserLikeClient();
        Assert.Equal(401, (await nobody.GetJsonAsync($"/desk/print/days/{community}/{day}")).Status);
    }

    /// <summary>No script, nothing fetched, only the page's own style (its hash in the policy matches it), never cached or framed.</summary>
    private static void AssertSelfContained(HttpResponseMessage response, string html)
    {
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        var style = StyleElement().Match(html);
        Assert.True(style.Success, "the page has one inline style");
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style.Groups[1].Value)));
        Assert.Equal($"default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'", policy);
        Assert.True(response.Headers.CacheControl!.NoStore, response.Headers.CacheControl.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
    }

    private static async Task<(int Status, string Html, HttpResponseMessage Response)> GetPageAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>The page's text as a reader sees it: tags gone, entities decoded, white space collapsed.</summary>
    private static string Text(string html) => Spaces().Replace(WebUtility.HtmlDecode(Tags().Replace(html, " ")), " ");

    private static int[] Counts(string html) =>
        [.. CountCell().Matches(CountsTable().Match(html).Groups[1].Value).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    private Task<long> AuditCountAsync(string action, string target, string actor, string outcome) =>
        fixture.ScalarAsync($"SELECT COUNT(*) FROM collection.audit_log WHERE action = '{action}' AND target = '{target}' AND actor = '{actor}' AND outcome = '{outcome}'");

    private async Task<(Guid Id, string IdNumber, int Version)> RegisterAsync(string community)
    {
        var body = People.ResidentOf(community);
        var (status, created) = await fixture.RegistryClient.PostAsync("/api/v1/persons", body);
        Assert.Equal(201, status);
        return (Guid.Parse((string)created["personId"]!), (string)body["idNumber"]!, (int)created["version"]!);
    }

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex("<table data-table=\"counts\">.*?<tbody>(.*?)</tbody>", RegexOptions.Singleline)]
    private static partial Regex CountsTable();

    [GeneratedRegex("<table data-table=\"forms\">.*?<tbody>(.*?)</tbody>", RegexOptions.Singleline)]
    private static partial Regex FormsTable();

    [GeneratedRegex("<td class=\"n\">(\\d+)</td>")]
    private static partial Regex CountCell();
}
