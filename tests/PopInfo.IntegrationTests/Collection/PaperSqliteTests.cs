using PopInfo.Domain.Identity;
using PopInfo.Domain.Regions;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>
/// The board and the printed pages on SQLite (the embedded host): the same store classes through the SQLite dialect (booleans
/// as integers, days as text, a deferred snapshot for the day sheet) give the counts the test made.
/// </summary>
public sealed class PaperSqliteTests
{
    [Fact]
    public async Task On_sqlite_the_board_the_day_sheet_and_the_receipt_show_the_day_made()
    {
        await using var platform = new EmbeddedPlatform();
        var community = RegionCatalogue.Wuxi.Communities[0];
        var street = community.ParentCode!;
        var issuer = TestIssuer.Shared;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        using var desk = await DeskSignIn.SignInAsync(platform.ClientOf(5102),
            issuer.People.Add(new TestPerson("sqlite-paper-collector-" + suffix, "采集员", "collector", community.Code)));
        using var supervisor = await DeskSignIn.SignInAsync(platform.ClientOf(5102),
            issuer.People.Add(new TestPerson("sqlite-paper-supervisor-" + suffix, "督导", "supervisor", street)));
        using var registry = platform.ClientOf(5101);
        var person = People.ResidentOf(community.Code);
        var (registered, created) = await registry.PostAsync("/api/v1/persons", person);
        Assert.Equal(201, registered);
        var idNumber = (string)person["idNumber"]!;

        // A correction accepted and a draft.
        var (_, correction) = await desk.PostAsync("/api/v1/forms", new
        {
            formType = "correction", personId = Guid.Parse((string)created["personId"]!), expectedVersion = (int)created["version"]!, submit = true,
            data = new { idNumber, occupation = "教师", reason = "职业变更" },
        });
        var formId = Guid.Parse((string)correction["id"]!);
        Assert.Equal("accepted", (string)(await DeskFixture.WaitForAnswerAsync(desk, formId))["state"]!);
        var (_, draft) = await desk.PostAsync("/api/v1/forms", new { formType = "birth", data = new Dictionary<string, string>() });
        var day = (string)draft["day"]!;

        var (status, board) = await supervisor.GetJsonAsync($"/api/v1/streets/{street}/board?days=3");
        Assert.True(status == 200, board.ToJsonString());
        Assert.Equal(day, (string)board["to"]!);
        var today = board["communities"]!.AsArray().Single(c => (string)c!["communityCode"]! == community.Code)!["days"]![0]!;
        var counts = today["counts"]!;
        Assert.Equal((day, 2, 1, 1, 1, 0, false, false), ((string)today["day"]!, (int)counts["forms"]!, (int)counts["drafts"]!, (int)counts["accepted"]!,
            (int)counts["submitted"]!, (int)counts["late"]!, (bool)today["cleared"]!, (bool)today["closed"]!));
        var summary = board["summary"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Equal([2, 0, 0], summary.Select(s => (int)s["totals"]!["forms"]!));
        Assert.Equal(RegionCatalogue.Wuxi.ChildrenOf(street).Count - 1, (int)summary[0]["cleared"]!);

        using var sheet = await desk.GetAsync($"/desk/print/days/{community.Code}/{day}");
        var sheetHtml = await sheet.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)sheet.StatusCode);
        Assert.Contains(IdentityNumber.Mask(idNumber), sheetHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(idNumber, sheetHtml, StringComparison.Ordinal);
        Assert.Contains("<td class=\"n\">2</td><td class=\"n\">1</td><td class=\"n\">1</td>", sheetHtml, StringComparison.Ordinal);

        using var receipt = await desk.GetAsync($"/desk/print/receipts/{formId}");
        var receiptHtml = await receipt.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)receipt.StatusCode);
        Assert.Contains(IdentityNumber.Mask(idNumber), receiptHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(idNumber, receiptHtml, StringComparison.Ordinal);
        Assert.Contains("王芳", receiptHtml, StringComparison.Ordinal);
    }
}
