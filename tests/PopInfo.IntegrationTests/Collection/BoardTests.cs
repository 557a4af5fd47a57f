using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Collection;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>
/// The supervisor's board on PostgreSQL: two days of a street made through the desk's API on a clock set ten days back, counted
/// by hand — community A accepted a form and closed its first day, then took a late form into the second; community B has a
/// form the registry rejected and a draft, so its first day is not cleared; every other community of the street has nothing.
/// Only the street's supervisor reads it; bad input is named by field and rule.
/// </summary>
public sealed class BoardTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    private static readonly TimeSpan Cst = ChinaTime.Offset;

    [Fact]
    public async Task The_board_shows_each_community_of_the_street_day_by_day_as_counted_by_hand()
    {
        var clock = new ShiftedClock();
        await using var desk = fixture.Desk.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var today = DateOnly.FromDateTime(DateTime.UtcNow + Cst);
        var first = today.AddDays(-10);
        var second = first.AddDays(1);
        var (d1, d2) = (Day(first), Day(second));
        var a1 = await RegisterAsync(fixture.CommunityA);
        var a2 = await RegisterAsync(fixture.CommunityA);
        var b1 = await RegisterAsync(fixture.CommunityB);
        var b2 = await RegisterAsync(fixture.CommunityB);

        // The first day: A's correction accepted; B's rejected (the person changed after the collector read them) and a draft.
        At(clock, first, 10);
        using (var collectorA = await SignInAsync(desk, clock, "collector-a"))
        using (var collectorB = await SignInAsync(desk, clock, "collector-b"))
        {
            var accepted = await CorrectionAsync(collectorA, a1, submit: true);
            Assert.Equal(d1, (string)accepted["day"]!);
            Assert.Equal("accepted", (string)(await DeskFixture.WaitForAnswerAsync(collectorA, Id(accepted)))["state"]!);

            var toReject = await CorrectionAsync(collectorB, b1, submit: false);
            var (changed, _) = await fixture.RegistryClient.PostAsync($"/api/v1/persons/{b1.Id}/corrections",
                new { commandId = Guid.NewGuid(), expectedVersion = b1.Version, phone = "13800001111" });
            Assert.Equal(200, changed);
            Assert.Equal(202, (await collectorB.PostAsync($"/api/v1/forms/{Id(toReject)}/submit", new { })).Status);
            Assert.Equal("rejected", (string)(await DeskFixture.WaitForAnswerAsync(collectorB, Id(toReject)))["state"]!);
            await CorrectionAsync(collectorB, b2, submit: false);

            // A closes the day at 18:00; a form entered after that goes to the second day, late.
            At(clock, first, 18);
            Assert.Equal(200, (await collectorA.PostAsync($"/api/v1/communities/{fixture.CommunityA}/days/{d1}/close", new { })).Status);
            At(clock, first, 19);
            var late = await CorrectionAsync(collectorA, a2, submit: true);
            Assert.Equal((d2, true), ((string)late["day"]!, (bool)late["late"]!));
            Assert.Equal("accepted", (string)(await DeskFixture.WaitForAnswerAsync(collectorA, Id(late)))["state"]!);
        }

        // The second day, late morning: the supervisor's board of the two days.
        At(clock, second, 11);
        var communities = RegionCatalogue.Wuxi.ChildrenOf(fixture.Street).Select(c => c.Code).ToList();
        using var supervisor = await SignInAsync(desk, clock, "supervisor");
        var (status, board) = await supervisor.GetJsonAsync($"/api/v1/streets/{fixture.Street}/board?days=2");
        Assert.True(status == 200, board.ToJsonString());
        Assert.Equal((fixture.Street, d1, d2), ((string)board["streetCode"]!, (string)board["from"]!, (string)board["to"]!));
        Assert.Equal([d2, d1], board["days"]!.AsArray().Select(d => (string)d!));
        var rows = board["communities"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal(communities, rows.Select(r => (string)r["communityCode"]!));

        //                                                   forms drafts pending accepted rejected withdrawn late submitted cleared closed
        Assert.Equal((1, 0, 0, 1, 0, 0, 1, 1, true, false), Cell(rows, fixture.CommunityA, d2));
        Assert.Equal((1, 0, 0, 1, 0, 0, 0, 1, true, true), Cell(rows, fixture.CommunityA, d1));
        Assert.Equal((0, 0, 0, 0, 0, 0, 0, 0, true, false), Cell(rows, fixture.CommunityB, d2));
        Assert.Equal((2, 1, 0, 0, 1, 0, 0, 1, false, false), Cell(rows, fixture.CommunityB, d1));
        foreach (var other in communities.Except([fixture.CommunityA, fixture.CommunityB]))
        {
            Assert.Equal((0, 0, 0, 0, 0, 0, 0, 0, true, false), Cell(rows, other, d1));
            Assert.Equal((0, 0, 0, 0, 0, 0, 0, 0, true, false), Cell(rows, other, d2));
        }

        var closedDay = rows.Single(r => (string)r["communityCode"]! == fixture.CommunityA)["days"]!.AsArray().Single(d => (string)d!["day"]! == d1)!;
        Assert.Equal("collector-a", (string)closedDay["closedBy"]!);
        var closedAt = DateTimeOffset.Parse((string)closedDay["closedAt"]!, CultureInfo.InvariantCulture);
        Assert.True((closedAt - new DateTimeOffset(first.ToDateTime(new TimeOnly(18, 0)), Cst)).Duration() < TimeSpan.FromMinutes(1), $"closed at {closedAt:O}");

        // The street's line per day: how many communities cleared and closed it, and the forms of all of them.
        var summary = board["summary"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Equal((d2, communities.Count, communities.Count, 0, 1, 1), Summary(summary[0]));
        Assert.Equal((d1, communities.Count, communities.Count - 1, 1, 3, 0), Summary(summary[1]));
        Assert.Equal((1, 1, 2), ((int)summary[1]["totals"]!["rejected"]!, (int)summary[1]["totals"]!["drafts"]!, (int)summary[1]["totals"]!["submitted"]!));

        // By default a week ending today (the desk's today: the second day); an earlier day on its own with to=.
        var (_, week) = await supervisor.GetJsonAsync($"/api/v1/streets/{fixture.Street}/board");
        Assert.Equal(Enumerable.Range(0, 7).Select(i => Day(second.AddDays(-i))), week["days"]!.AsArray().Select(d => (string)d!));
        var (_, one) = await supervisor.GetJsonAsync($"/api/v1/streets/{fixture.Street}/board?days=1&to={d1}");
        Assert.Equal([d1], one["days"]!.AsArray().Select(d => (string)d!));
        Assert.Equal((1, 0, 0, 1, 0, 0, 0, 1, true, true), Cell(one["communities"]!.AsArray().Select(r => r!.AsObject()).ToList(), fixture.CommunityA, d1));
        Assert.Equal(3, await fixture.ScalarAsync($"SELECT COUNT(*) FROM collection.audit_log WHERE action = 'day.board' AND outcome = 'ok' AND actor = 'supervisor' AND community_code = '{fixture.Street}'"));

        await BadInputIsNamedAsync(supervisor, second);
        await OnlyTheStreetsSupervisorReadsItAsync(desk, clock);
    }

    private async Task BadInputIsNamedAsync(HttpClient supervisor, DateOnly today)
    {
        foreach (var (query, field, rule) in new[]
                 {
                     ("days=0", "days", "board.days"), ("days=32", "days", "board.days"), ("days=seven", "days", "board.days"), ("days=-1", "days", "board.days"),
                     ("to=2026-02-30", "to", "date.format"), ("to=20261001", "to", "date.format"), ($"to={Day(today.AddDays(1))}", "to", "day.not-future"),
                 })
        {
            var (status, problem) = await supervisor.GetJsonAsync($"/api/v1/streets/{fixture.Street}/board?{query}");
            Assert.True(status == 400, $"{query}: {status} {problem.ToJsonString()}");
            Assert.Equal([(field, rule)], problem.Violations());
        }

        // Both wrong: both named.
        var (_, both) = await supervisor.GetJsonAsync($"/api/v1/streets/{fixture.Street}/board?days=99&to=tomorrow");
        Assert.Equal([("days", "board.days"), ("to", "date.format")], both.Violations());

        // No such street: a district's code, a community's, nonsense.
        foreach (var street in new[] { "999999999", fixture.CommunityA, fixture.Street[..6] })
        {
            var (status, problem) = await supervisor.GetJsonAsync($"/api/v1/streets/{street}/board");
            Assert.Equal(404, status);
            Assert.Equal(("streetCode", "region.street"), ((string)problem["field"]!, (string)problem["rule"]!));
        }
    }

    private async Task OnlyTheStreetsSupervisorReadsItAsync(WebApplicationFactory<CollectionEntryPoint> desk, ShiftedClock clock)
    {
        var elsewhere = RegionCatalogue.Wuxi.Communities.First(c => c.ParentCode != fixture.Street);
        fixture.Add(new TestPerson("board-collector-elsewhere", "赵敏", "collector", elsewhere.Code));
        fixture.Add(new TestPerson("board-supervisor-elsewhere", "钱进", "supervisor", elsewhere.ParentCode));
        var before = await fixture.ScalarAsync("SELECT COUNT(*) FROM collection.audit_log WHERE action = 'day.board' AND outcome = 'forbidden'");
        foreach (var user in new[] { "collector-a", "board-collector-elsewhere", "board-supervisor-elsewhere" })
        {
            using var client = await SignInAsync(desk, clock, user);
            var (status, problem) = await client.GetJsonAsync($"/api/v1/streets/{fixture.Street}/board");
            Assert.True(status == 403, $"{user}: {status} {problem.ToJsonString()}");
            Assert.Equal("scope.community", (string)problem["rule"]!);
        }

        Assert.Equal(before + 3, await fixture.ScalarAsync("SELECT COUNT(*) FROM collection.audit_log WHERE action = 'day.board' AND outcome = 'forbidden'"));
        using var nobody = desk.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var (unauthenticated, refusal) = await nobody.GetJsonAsync($"/api/v1/streets/{fixture.Street}/board");
        Assert.Equal((401, "session.required"), (unauthenticated, (string)refusal["rule"]!));
    }

    private static (int Forms, int Drafts, int Pending, int Accepted, int Rejected, int Withdrawn, int Late, int Submitted, bool Cleared, bool Closed) Cell(
        IReadOnlyList<JsonObject> rows, string community, string day)
    {
        var cell = rows.Single(r => (string)r["communityCode"]! == community)["days"]!.AsArray().Single(d => (string)d!["day"]! == day)!;
        var c = cell["counts"]!;
        return ((int)c["forms"]!, (int)c["drafts"]!, (int)c["pending"]!, (int)c["accepted"]!, (int)c["rejected"]!, (int)c["withdrawn"]!, (int)c["late"]!,
            (int)c["submitted"]!, (bool)cell["cleared"]!, (bool)cell["closed"]!);
    }

    private static (string Day, int Communities, int Cleared, int Closed, int Forms, int Late) Summary(JsonObject day) =>
        ((string)day["day"]!, (int)day["communities"]!, (int)day["cleared"]!, (int)day["closed"]!, (int)day["totals"]!["forms"]!, (int)day["totals"]!["late"]!);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void At(ShiftedClock clock, DateOnly day, int hour) => DeskOnShiftedClock.At(clock, day, hour);

    private Task<HttpClient> SignInAsync(WebApplicationFactory<CollectionEntryPoint> desk, ShiftedClock clock, string userName) =>
        DeskOnShiftedClock.SignInAsync(desk, clock, fixture.HintOf(userName));

    private Task<(Guid Id, int Version)> RegisterAsync(string community) => DeskOnShiftedClock.RegisterAsync(fixture.RegistryClient, community);

    private static Task<JsonObject> CorrectionAsync(HttpClient desk, (Guid Id, int Version) person, bool submit) =>
        DeskOnShiftedClock.CorrectionAsync(desk, person, submit);

    private static Guid Id(JsonObject form) => DeskOnShiftedClock.Id(form);
}
