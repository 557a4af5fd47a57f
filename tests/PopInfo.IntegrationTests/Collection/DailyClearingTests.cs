using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>一日一清: a day closes only when cleared, a closed day takes no new forms, and the report adds up.</summary>
public sealed class DailyClearingTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    [Fact]
    public async Task A_day_closes_only_when_cleared_then_new_forms_go_to_the_next_day_marked_late()
    {
        var (_, motherIdNumber, _) = await fixture.RegisterResidentAsync();
        var (_, leaverIdNumber, _) = await fixture.RegisterResidentAsync();
        using var desk = await fixture.SignInAsync("collector-a");
        using var supervisor = await fixture.SignInAsync("supervisor");

        var (_, accepted) = await desk.PostAsync("/api/v1/forms", DeskForms.Birth(motherIdNumber));
        var (_, moveOut) = await desk.PostAsync("/api/v1/forms", new { formType = "move-out", submit = true, data = new { idNumber = leaverIdNumber, moveDate = "2026-01-05", destination = "南京市鼓楼区" } });
        var (_, draft) = await desk.PostAsync("/api/v1/forms", new { formType = "death", data = new { idNumber = leaverIdNumber } });
        await DeskFixture.WaitForAnswerAsync(desk, Guid.Parse((string)accepted["id"]!));
        await DeskFixture.WaitForAnswerAsync(desk, Guid.Parse((string)moveOut["id"]!));
        var day = (string)accepted["day"]!;

        // Not cleared: a draft is in the way, and the answer says which form.
        var (refused, problem) = await desk.PostAsync($"/api/v1/communities/{fixture.CommunityA}/days/{day}/close", new { });
        Assert.Equal(409, refused);
        Assert.Equal("day.not-cleared", (string)problem["rule"]!);
        Assert.Equal((string)draft["id"]!, (string)problem["blocking"]![0]!);

        // The supervisor sees community A has not cleared.
        var (_, street) = await supervisor.GetJsonAsync($"/api/v1/streets/{fixture.Street}/days/{day}/report");
        Assert.Contains(fixture.CommunityA, street["notCleared"]!.AsArray().Select(c => (string)c!));

        // Dealt with: the draft is withdrawn; the day closes.
        Assert.Equal(200, (await desk.PostAsync($"/api/v1/forms/{(string)draft["id"]!}/withdraw", new { reason = "重复录入" })).Status);
        var (closed, report) = await desk.PostAsync($"/api/v1/communities/{fixture.CommunityA}/days/{day}/close", new { });
        Assert.Equal(200, closed);
        Assert.True((bool)report["cleared"]!);

        // The report adds up to the forms entered.
        var totals = report["totals"]!;
        Assert.Equal(3, (int)totals["forms"]!);
        Assert.Equal(2, (int)totals["accepted"]!);
        Assert.Equal(1, (int)totals["withdrawn"]!);
        Assert.Equal((int)totals["forms"]!, (int)totals["drafts"]! + (int)totals["pending"]! + (int)totals["accepted"]! + (int)totals["rejected"]! + (int)totals["withdrawn"]!);
        Assert.Equal(3, report["byType"]!.AsArray().Sum(t => (int)t!["counts"]!["forms"]!));

        // A closed day refuses a second close, and new forms go to the next day, marked late.
        Assert.Equal(409, (await desk.PostAsync($"/api/v1/communities/{fixture.CommunityA}/days/{day}/close", new { })).Status);
        var (_, late) = await desk.PostAsync("/api/v1/forms", new { formType = "death", data = new { idNumber = leaverIdNumber } });
        Assert.True((bool)late["late"]!);
        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture).AddDays(1).ToString("yyyy-MM-dd"), (string)late["day"]!);
        var (_, after) = await desk.GetJsonAsync($"/api/v1/communities/{fixture.CommunityA}/days/{day}/report");
        Assert.Equal(3, (int)after["totals"]!["forms"]!);
        var (_, street2) = await supervisor.GetJsonAsync($"/api/v1/streets/{fixture.Street}/days/{day}/report");
        Assert.DoesNotContain(fixture.CommunityA, street2["notClosed"]!.AsArray().Select(c => (string)c!));
        Assert.Contains(fixture.CommunityB, street2["notClosed"]!.AsArray().Select(c => (string)c!));

        // A collector closes only their own community's day.
        using var other = await fixture.SignInAsync("collector-b");
        Assert.Equal(403, (await other.PostAsync($"/api/v1/communities/{fixture.CommunityA}/days/{day}/close", new { })).Status);
    }
}
