using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Collection;
using PopInfo.Domain.Access;
using PopInfo.Domain.Statistics;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Monitoring.Assessment;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Monitoring;

/// <summary>
/// Timeliness and assessment (issue 12, 以评促建) on PostgreSQL: the desk and the exchange give their facts to the monitoring
/// service's own client only; monitoring shows each community's day cleared or not, and scores a fixture month — made
/// through the desk's API on a clock set to November 2026 — and the departments' month as worked out by hand; CSV cells
/// that could run as formulas are neutralised; operators only.
/// </summary>
public sealed class AssessmentTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    private static readonly TimeSpan Cst = ChinaTime.Offset;

    private static string Operator => TestIssuer.Shared.Token([], "popinfo-monitor-page", "operator.1", PlatformRoles.Operator,
        audiences: [PlatformScopes.Audience("monitoring")]);

    /// <summary>
    /// November 2026 at the desk, worked out by hand:
    ///   A 11-02: two corrections submitted at once, both accepted; the day closed at 18:00 → cleared by the deadline
    ///   A 11-03: a correction submitted that day and rejected (the person changed meanwhile), and a draft; on 11-04 the
    ///            rejected one is resubmitted and accepted, the draft submitted (later) and accepted, and 11-03 closed → not by the deadline
    ///   A 11-05: a draft, never submitted → not cleared
    ///   B 11-02: one correction accepted, the day closed at 18:00
    /// A: days 1 of 3 cleared by the deadline = 33.33 %; forms due 5, first submitted the same day 2 + 1 = 3 → 60 %;
    ///    timeliness (33.33 + 60) / 2 = 46.67 → 46.7; completeness: answered 3 accepted first time + 1 rejected once = 4 → 3/4 = 75.0;
    ///    score 0.6 × 46.67 + 0.4 × 75 = 28 + 30 = 58.0: weak (30–60), rank 2
    /// B: 100 and 100 → 100.0: excellent, rank 1
    /// </summary>
    [Fact]
    public async Task A_month_at_the_desk_clears_and_scores_as_worked_out_by_hand()
    {
        var clock = new ShiftedClock();
        await using var desk = fixture.Desk.Desk.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var a = fixture.Desk.CommunityA;
        var b = fixture.Desk.CommunityB;
        var residentsA = new List<(Guid Id, int Version)>();
        for (var i = 0; i < 5; i++)
        {
            residentsA.Add(await RegisterAsync(a));
        }

        var residentB = await RegisterAsync(b);

        // 11-02
        At(clock, 2026, 11, 2, 10);
        using (var collectorA = await SignInAsync(desk, clock, "collector-a"))
        using (var collectorB = await SignInAsync(desk, clock, "collector-b"))
        {
            var first = await CorrectionAsync(collectorA, residentsA[0], submit: true);
            var second = await CorrectionAsync(collectorA, residentsA[1], submit: true);
            var third = await CorrectionAsync(collectorB, residentB, submit: true);
            Assert.Equal("2026-11-02", (string)first["day"]!);
            foreach (var form in new[] { first, second, third })
            {
                Assert.Equal("accepted", (string)(await PopInfo.IntegrationTests.Collection.DeskFixture.WaitForAnswerAsync(form == third ? collectorB : collectorA, Id(form)))["state"]!);
            }

            At(clock, 2026, 11, 2, 18);
            Assert.Equal(200, (await collectorA.PostAsync($"/api/v1/communities/{a}/days/2026-11-02/close", new { })).Status);
            Assert.Equal(200, (await collectorB.PostAsync($"/api/v1/communities/{b}/days/2026-11-02/close", new { })).Status);
        }

        // 11-03: one rejected by the registry (the person changed after the collector read them), one draft.
        At(clock, 2026, 11, 3, 10);
        Guid rejectedId, lateId;
        using (var collectorA = await SignInAsync(desk, clock, "collector-a"))
        {
            var toReject = await CorrectionAsync(collectorA, residentsA[2], submit: false);
            rejectedId = Id(toReject);
            var (changed, _) = await fixture.Registry.PostAsync($"/api/v1/persons/{residentsA[2].Id}/corrections",
                new { commandId = Guid.NewGuid(), expectedVersion = residentsA[2].Version, phone = "13800001111" });
            Assert.Equal(200, changed);
            Assert.Equal(202, (await collectorA.PostAsync($"/api/v1/forms/{rejectedId}/submit", new { })).Status);
            Assert.Equal("rejected", (string)(await PopInfo.IntegrationTests.Collection.DeskFixture.WaitForAnswerAsync(collectorA, rejectedId))["state"]!);
            lateId = Id(await CorrectionAsync(collectorA, residentsA[3], submit: false));
        }

        // 11-04: both dealt with, the 3rd closed a day late.
        At(clock, 2026, 11, 4, 10);
        using (var collectorA = await SignInAsync(desk, clock, "collector-a"))
        {
            var (_, rejected) = await collectorA.GetJsonAsync($"/api/v1/forms/{rejectedId}");
            using (var put = await collectorA.PutAsync($"/api/v1/forms/{rejectedId}", System.Net.Http.Json.JsonContent.Create(new
            {
                revision = (int)rejected["revision"]!, expectedVersion = residentsA[2].Version + 1, data = new { occupation = "教师", reason = "职业变更" },
            })))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            Assert.Equal(202, (await collectorA.PostAsync($"/api/v1/forms/{rejectedId}/submit", new { })).Status);
            Assert.Equal(202, (await collectorA.PostAsync($"/api/v1/forms/{lateId}/submit", new { })).Status);
            Assert.Equal("accepted", (string)(await PopInfo.IntegrationTests.Collection.DeskFixture.WaitForAnswerAsync(collectorA, rejectedId))["state"]!);
            Assert.Equal("accepted", (string)(await PopInfo.IntegrationTests.Collection.DeskFixture.WaitForAnswerAsync(collectorA, lateId))["state"]!);
            Assert.Equal(200, (await collectorA.PostAsync($"/api/v1/communities/{a}/days/2026-11-03/close", new { })).Status);
        }

        // 11-05: a draft left unsubmitted.
        At(clock, 2026, 11, 5, 10);
        using (var collectorA = await SignInAsync(desk, clock, "collector-a"))
        {
            Assert.Equal("2026-11-05", (string)(await CorrectionAsync(collectorA, residentsA[4], submit: false))["day"]!);
        }

        await using var monitoring = Monitoring(desk);
        using var operatorClient = Client(monitoring, Operator);

        // A day with an unsubmitted draft is not cleared; the street's other community, with nothing that day, is.
        var (status, day5) = await operatorClient.GetJsonAsync($"/api/v1/timeliness?day=2026-11-05&street={fixture.Desk.Street}");
        Assert.Equal(200, status);
        var communities5 = day5["communities"]!.AsArray().ToDictionary(c => (string)c!["communityCode"]!);
        Assert.Equal((1, 1, false, false), ((int)communities5[a]!["forms"]!, (int)communities5[a]!["drafts"]!, (bool)communities5[a]!["cleared"]!, (bool)communities5[a]!["clearedByDeadline"]!));
        Assert.Equal((0, true), ((int)communities5[b]!["forms"]!, (bool)communities5[b]!["cleared"]!));
        var street5 = day5["streets"]!.AsArray().Single()!;
        Assert.Equal((1, 1), ((int)street5["notCleared"]!, (int)street5["drafts"]!));
        Assert.Equal(Domain.Regions.RegionCatalogue.Wuxi.ChildrenOf(fixture.Desk.Street).Count, (int)street5["communities"]!);

        var timelinessCsv = await CsvAsync(operatorClient, $"/api/v1/timeliness?day=2026-11-05&street={fixture.Desk.Street}&format=csv");
        Assert.StartsWith("level,code,name,street,forms,late,submittedSameDay,submittedLater,drafts,pending,accepted,rejected,withdrawn,cleared,", timelinessCsv[0], StringComparison.Ordinal);
        Assert.Contains(timelinessCsv, l => l.StartsWith($"community,{a},", StringComparison.Ordinal) && l.EndsWith(",1,0,0,0,1,0,0,0,0,false,,false,,", StringComparison.Ordinal));
        Assert.Contains(timelinessCsv, l => l.StartsWith($"street,{fixture.Desk.Street},", StringComparison.Ordinal) && l.EndsWith($",false,,0,{Domain.Regions.RegionCatalogue.Wuxi.ChildrenOf(fixture.Desk.Street).Count},1", StringComparison.Ordinal));

        // A cleared day, closed in time; and one cleared only the next day.
        var (_, day2) = await operatorClient.GetJsonAsync("/api/v1/timeliness?day=2026-11-02");
        var communities2 = day2["communities"]!.AsArray().ToDictionary(c => (string)c!["communityCode"]!);
        Assert.Equal([a, b], communities2.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((2, 2, true, true), ((int)communities2[a]!["forms"]!, (int)communities2[a]!["accepted"]!, (bool)communities2[a]!["cleared"]!, (bool)communities2[a]!["clearedByDeadline"]!));
        Assert.Equal((1, true), ((int)communities2[b]!["forms"]!, (bool)communities2[b]!["clearedByDeadline"]!));
        var (_, day3) = await operatorClient.GetJsonAsync($"/api/v1/timeliness?day=2026-11-03&street={fixture.Desk.Street}");
        var a3 = day3["communities"]!.AsArray().Single(c => (string)c!["communityCode"]! == a)!;
        Assert.Equal((2, 1, 1, 2, true, false), ((int)a3["forms"]!, (int)a3["submittedSameDay"]!, (int)a3["submittedLater"]!, (int)a3["accepted"]!, (bool)a3["cleared"]!, (bool)a3["clearedByDeadline"]!));
        Assert.Equal(new DateTimeOffset(2026, 11, 4, 10, 0, 0, Cst), DateTimeOffset.Parse((string)a3["closedAt"]!, CultureInfo.InvariantCulture), TimeSpan.FromMinutes(2));

        // The month's scores.
        var (assessed, month) = await operatorClient.GetJsonAsync("/api/v1/assessment/communities?period=2026-11");
        Assert.Equal(200, assessed);
        Assert.Equal(("2026-11-01", "2026-11-30"), ((string)month["from"]!, (string)month["to"]!));
        var items = month["items"]!.AsArray();
        Assert.Equal([b, a], items.Select(i => (string)i!["code"]!));
        Assert.Equal((1, 100.0, 100.0, 100.0, "excellent"), Scores(items[0]!));
        Assert.Equal((2, 46.7, 75.0, 58.0, "weak"), Scores(items[1]!));
        var figuresA = items[1]!["figures"]!;
        Assert.Equal((3, 1, 5, 3, 4, 3, 1), ((int)figuresA["daysWithForms"]!, (int)figuresA["daysClearedByDeadline"]!, (int)figuresA["formsDue"]!,
            (int)figuresA["submittedSameDay"]!, (int)figuresA["answered"]!, (int)figuresA["acceptedFirstTime"]!, (int)figuresA["rejectedEver"]!));

        // The same as CSV, every figure in its column.
        var csv = await CsvAsync(operatorClient, "/api/v1/assessment/communities?period=2026-11&format=csv");
        Assert.StartsWith("rank,code,name,street,assessed,timeliness,completeness,score,stage,stageCode,days,", csv[0], StringComparison.Ordinal);
        Assert.StartsWith($"2,{a},", csv[2], StringComparison.Ordinal);
        Assert.Contains(",true,46.7,75.0,58.0,较差 weak,weak,", csv[2], StringComparison.Ordinal);
        Assert.Equal(4, csv.Count);
    }

    /// <summary>
    /// A department's month (the real clock: the exchange's own time), worked out by hand:
    ///   supplied 4 deaths, 3 dated yesterday and 1 ten days ago: on time 3 of 4 = 75.0; one of yesterday's (a person who had
    ///   moved away) held, then dismissed: decided 4, applied 3 = 75.0;
    ///   received the 3 deaths it subscribed to, read 2 of them from the feed at once (in time), its queue untouched: 2/3 = 66.7;
    ///   score 0.4 × 75 + 0.3 × 75 + 0.3 × 66.67 = 30 + 22.5 + 20 = 72.5: fair (60–75). A department with nothing: not assessed.
    /// Its name begins with "=": the CSV cell is neutralised.
    /// </summary>
    [Fact]
    public async Task A_day_left_with_a_draft_raises_the_desk_day_alert_after_its_deadline_and_closing_it_ends_the_alert()
    {
        // Yesterday in Wuxi, at the desk (its clock put back a day): a draft left, the day not closed. Its deadline (24:00) is past.
        var clock = new ShiftedClock();
        await using var desk = fixture.Desk.Desk.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var community = fixture.Desk.CommunityB;
        var yesterday = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(Cst).Date).AddDays(-1);
        var person = await RegisterAsync(community);
        At(clock, yesterday.Year, yesterday.Month, yesterday.Day, 10);
        using var collector = await SignInAsync(desk, clock, "collector-b");
        var draft = Id(await CorrectionAsync(collector, person, submit: false));

        await using var host = new MonitoringHost(new Dictionary<string, string?>
        {
            ["PopInfo:Monitoring:Services:collection"] = "http://localhost/",
            ["PopInfo:Monitoring:SampleInterval"] = "00:00:01",
            ["PopInfo:Monitoring:ClearingInterval"] = "00:00:01",
        }, new Dictionary<string, Func<HttpMessageHandler>> { ["collection"] = () => desk.Server.CreateHandler() });
        await using var monitoring = host.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddHttpClient<CollectionFactsClient>().ConfigurePrimaryHttpMessageHandler(() => desk.Server.CreateHandler())));
        using var operatorClient = Client(monitoring, TestIssuer.Shared.Token([], "popinfo-monitor-page", "op-desk-day", "operator",
            audiences: [PlatformScopes.Audience("monitoring")]));

        async Task<JsonObject?> AlertAsync(string state) =>
            (await operatorClient.GetJsonAsync($"/api/v1/alerts?state={state}")).Body["items"]!.AsArray().Select(a => a!["alert"]!.AsObject())
                .FirstOrDefault(a => (string?)a["ruleCode"] == "desk-day-not-cleared" && (string?)a["subject"] == community);

        await Eventually.TrueAsync(async () => await AlertAsync("open") is not null, TimeSpan.FromSeconds(30), "the desk-day-not-cleared alert");

        // The collector deals with the draft and closes the day (late): the alert ends.
        At(clock, yesterday.Year, yesterday.Month, yesterday.Day, 18);
        Assert.Equal(202, (await collector.PostAsync($"/api/v1/forms/{draft}/submit", new { })).Status);
        Assert.Equal("accepted", (string)(await PopInfo.IntegrationTests.Collection.DeskFixture.WaitForAnswerAsync(collector, draft))["state"]!);
        Assert.Equal(200, (await collector.PostAsync($"/api/v1/communities/{community}/days/{yesterday:yyyy-MM-dd}/close", new { })).Status);
        await Eventually.TrueAsync(async () => (await AlertAsync("all"))?["endedAt"] is not null, TimeSpan.FromSeconds(30), "the alert to end");
        Assert.Null(await AlertAsync("open"));
    }

    [Fact]
    public async Task A_departments_month_scores_as_worked_out_by_hand_and_its_csv_runs_no_formula()
    {
        var community = ExchangeFixture.FreshCommunity();
        var code = "hb-" + Guid.NewGuid().ToString("N")[..6];
        var (created, body) = await fixture.Admin.PostAsync("/api/v1/departments", new
        {
            code, name = "=1+2 卫健委", contact = "duty desk, 0510-12345678", inboundKinds = new[] { "death" },
        });
        Assert.True(created == 201, body.ToJsonString());
        var apiKey = (string)body["credentials"]!["apiKey"]!;
        var idle = await fixture.CreateDepartmentAsync("idle");
        await fixture.SubscribeAsync(code, ["died"], [community], ["idNumber"]);

        var people = new List<(Guid PersonId, string IdNumber, string Name, long Sequence)>();
        for (var i = 0; i < 4; i++)
        {
            people.Add(await fixture.RegisterResidentAsync(community));
        }

        var (_, current) = await fixture.Registry.GetJsonAsync($"/api/v1/persons/{people[3].PersonId}");
        var today = DateOnly.FromDateTime(DateTime.UtcNow.Add(Cst));
        string Date(int daysAgo) => today.AddDays(-daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (movedOut, _) = await fixture.Registry.PostAsync($"/api/v1/persons/{people[3].PersonId}/move-out",
            new { commandId = Guid.NewGuid(), expectedVersion = (int)current["version"]!, moveDate = Date(2), destination = "南京市" });
        Assert.Equal(200, movedOut);

        using var department = fixture.Exchange.CreateClientWithKey(apiKey);
        var (pushed, answer) = await department.PostAsync("/api/v1/inbound", new
        {
            records = new object[]
            {
                new { recordId = "D-1", kind = "death", person = new { idNumber = people[0].IdNumber }, deathDate = Date(1) },
                new { recordId = "D-2", kind = "death", person = new { idNumber = people[1].IdNumber }, deathDate = Date(1) },
                new { recordId = "D-3", kind = "death", person = new { idNumber = people[2].IdNumber }, deathDate = Date(10) },
                new { recordId = "D-4", kind = "death", person = new { idNumber = people[3].IdNumber }, deathDate = Date(1) },
            },
        });
        Assert.True(pushed == 200, answer.ToJsonString());
        var results = answer["results"]!.AsArray();
        Assert.Equal(["queued", "queued", "queued", "held"], results.Select(r => (string)r!["state"]!));
        var (dismissed, _) = await fixture.Admin.PostAsync($"/api/v1/inbound/reviews/{(string)results[3]!["id"]!}/dismiss", new { reason = "moved away before" });
        Assert.Equal(200, dismissed);
        foreach (var record in new[] { "D-1", "D-2", "D-3" })
        {
            await Eventually.TrueAsync(async () => (string?)(await department.GetJsonAsync($"/api/v1/inbound/{record}")).Body["state"] == "applied",
                TimeSpan.FromSeconds(30), $"{record} applied");
        }

        await fixture.WaitForProjectedAsync(code, 3);
        using (var feed = fixture.Exchange.CreateClientWithKey(apiKey))
        {
            var (read, page) = await feed.GetJsonAsync("/api/v1/feed?after=0&limit=2");
            Assert.Equal((200, 2), (read, page["events"]!.AsArray().Count));
        }

        await using var monitoring = Monitoring(fixture.Desk.Desk);
        using var operatorClient = Client(monitoring, Operator);
        var period = today.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var (status, report) = await operatorClient.GetJsonAsync($"/api/v1/assessment/departments?period={period}");
        Assert.True(status == 200, $"{status} {report.ToJsonString()}");
        var items = report["items"]!.AsArray().ToDictionary(i => (string)i!["code"]!);
        Assert.Equal(new[] { code, idle.Code }.Order(StringComparer.Ordinal), items.Keys.Order(StringComparer.Ordinal));
        var mine = items[code]!;
        Assert.Equal((75.0, 75.0, 66.7, 72.5, "fair", 1), ((double)mine["timeliness"]!, (double)mine["completeness"]!, (double)mine["acknowledgement"]!,
            (double)mine["score"]!, (string)mine["stage"]!["code"]!, (int)mine["rank"]!));
        var figures = mine["figures"]!;
        Assert.Equal((4, 4, 3, 4, 3, 1, 3, 2, 2, 0), ((int)figures["received"]!, (int)figures["dated"]!, (int)figures["onTime"]!, (int)figures["decided"]!,
            (int)figures["applied"]!, (int)figures["dismissed"]!, (int)figures["delivered"]!, (int)figures["acknowledged"]!, (int)figures["acknowledgedInTime"]!,
            (int)figures["acknowledgedUntimed"]!));
        Assert.Equal((false, null, null), ((bool)items[idle.Code]!["assessed"]!, (double?)items[idle.Code]!["score"], (int?)items[idle.Code]!["rank"]));

        var csv = await CsvAsync(operatorClient, $"/api/v1/assessment/departments?period={period}&format=csv");
        var line = csv.Single(l => l.Contains(code, StringComparison.Ordinal));
        Assert.StartsWith($"1,{code},'=1+2 卫健委,,true,75.0,75.0,66.7,72.5,合格 fair,fair,4,4,3,4,3,", line, StringComparison.Ordinal);
        Assert.DoesNotContain(csv, l => l.Contains(",=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Operators_only_and_the_sources_answer_the_monitoring_scopes_only()
    {
        await using var monitoring = Monitoring(fixture.Desk.Desk);
        using (var none = Client(monitoring, null))
        {
            Assert.Equal(401, (await none.GetJsonAsync("/api/v1/assessment/communities?period=2026-11")).Status);
        }

        foreach (var role in new[] { PlatformRoles.Planner, PlatformRoles.Auditor, PlatformRoles.Admin })
        {
            using var other = Client(monitoring, TestIssuer.Shared.Token([], "popinfo-monitor-page", "someone", role, audiences: [PlatformScopes.Audience("monitoring")]));
            foreach (var path in new[] { "/api/v1/timeliness?day=2026-11-02", "/api/v1/assessment/communities?period=2026-11", "/api/v1/assessment/departments?period=2026" })
            {
                var (status, problem) = await other.GetJsonAsync(path);
                Assert.Equal((403, "token.role"), (status, (string?)problem["rule"]));
            }
        }

        using (var operatorClient = Client(monitoring, Operator))
        {
            var (status, problem) = await operatorClient.GetJsonAsync("/api/v1/assessment/communities?period=2026-13");
            Assert.Equal((400, "period", "period.format"), (status, (string?)problem["violations"]![0]!["field"], (string?)problem["violations"]![0]!["rule"]));
        }

        // The sources: the monitoring client's scope, nothing else.
        var clearing = "/api/v1/monitor/clearing?from=2026-11-01&to=2026-11-30";
        Assert.Equal(200, await SourceStatusAsync(fixture.Desk.Desk, clearing, TestIssuer.Shared.Token([PlatformScopes.CollectionMonitor], "popinfo-monitoring")));
        // A token for the desk without the scope is refused (403); one for another service does not even pass as the desk's (401).
        Assert.Equal(403, await SourceStatusAsync(fixture.Desk.Desk, clearing, TestIssuer.Shared.Token([PlatformScopes.ExchangeMonitor], "popinfo-monitoring", audiences: [PlatformScopes.Audience("collection")])));
        Assert.Equal(403, await SourceStatusAsync(fixture.Desk.Desk, clearing, TestIssuer.Shared.Token([], "popinfo-monitor-page", "operator.1", PlatformRoles.Operator, audiences: [PlatformScopes.Audience("collection")])));
        Assert.Equal(401, await SourceStatusAsync(fixture.Desk.Desk, clearing, TestIssuer.Shared.Token([PlatformScopes.ExchangeMonitor], "popinfo-monitoring")));
        Assert.Equal(401, await SourceStatusAsync(fixture.Desk.Desk, clearing, TestIssuer.Shared.Token([PlatformScopes.CollectionMonitor], audiences: [PlatformScopes.Audience("registry")])));
        Assert.Equal(401, await SourceStatusAsync(fixture.Desk.Desk, clearing, null));
        var departments = "/api/v1/monitor/departments?from=2026-11-01&to=2026-11-30";
        Assert.Equal(200, await SourceStatusAsync(fixture.Exchange, departments, TestIssuer.Shared.Token([PlatformScopes.ExchangeMonitor], "popinfo-monitoring")));
        Assert.Equal(403, await SourceStatusAsync(fixture.Exchange, departments, TestIssuer.Shared.Token([PlatformScopes.ExchangeAdmin], subject: "admin")));
        Assert.Equal(403, await SourceStatusAsync(fixture.Exchange, departments, TestIssuer.Shared.Token([PlatformScopes.ExchangeDepartment], "dept-police")));
        Assert.Equal(401, await SourceStatusAsync(fixture.Exchange, departments, null));

        // A range the sources refuse, named by field and rule.
        using var source = fixture.Desk.Desk.CreateClient();
        source.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestIssuer.Shared.Token([PlatformScopes.CollectionMonitor], "popinfo-monitoring"));
        var (tooLong, rule) = await source.GetJsonAsync("/api/v1/monitor/clearing?from=2026-01-01&to=2027-01-02");
        Assert.Equal((400, "to", "range.max-days"), (tooLong, (string?)rule["violations"]![0]!["field"], (string?)rule["violations"]![0]!["rule"]));
        var (badStreet, streetRule) = await source.GetJsonAsync("/api/v1/monitor/clearing?from=2026-01-01&to=2026-01-31&street=320205");
        Assert.Equal((400, "street", "region.street"), (badStreet, (string?)streetRule["violations"]![0]!["field"], (string?)streetRule["violations"]![0]!["rule"]));

        // Only the monitoring service's client is given the new scopes.
        foreach (var (service, scopes) in PopInfo.Identity.Clients.ServiceClients.ScopesOf)
        {
            Assert.Equal(service == "monitoring", scopes.Contains(PlatformScopes.CollectionMonitor));
            Assert.Equal(service == "monitoring", scopes.Contains(PlatformScopes.ExchangeMonitor));
        }
    }

    private static async Task<int> SourceStatusAsync<T>(WebApplicationFactory<T> host, string path, string? token) where T : class
    {
        using var client = host.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var answer = await client.GetAsync(path);
        return (int)answer.StatusCode;
    }

    private static (int, double, double, double, string) Scores(JsonNode item) =>
        ((int)item["rank"]!, (double)item["timeliness"]!, (double)item["completeness"]!, (double)item["score"]!, (string)item["stage"]!["code"]!);

    private static async Task<List<string>> CsvAsync(HttpClient client, string path)
    {
        using var answer = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/csv", answer.Content.Headers.ContentType!.MediaType);
        var bytes = await answer.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        return [.. Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>The monitoring service, its reads of the desk and the exchange going to these in-process hosts.</summary>
    private WebApplicationFactory<PopInfo.Monitoring.MonitoringEntryPoint> Monitoring(WebApplicationFactory<CollectionEntryPoint> desk)
    {
        var host = new MonitoringHost(new Dictionary<string, string?>
        {
            ["PopInfo:Monitoring:Services:collection"] = "http://localhost/",
            ["PopInfo:Monitoring:Services:exchange"] = "http://localhost/",
        }, new Dictionary<string, Func<HttpMessageHandler>>());
        return host.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddHttpClient<CollectionFactsClient>().ConfigurePrimaryHttpMessageHandler(() => desk.Server.CreateHandler());
            s.AddHttpClient<ExchangeFactsClient>().ConfigurePrimaryHttpMessageHandler(() => fixture.Exchange.Server.CreateHandler());
        }));
    }

    private static HttpClient Client(WebApplicationFactory<PopInfo.Monitoring.MonitoringEntryPoint> monitoring, string? token)
    {
        var client = monitoring.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static void At(ShiftedClock clock, int year, int month, int day, int hour) =>
        Collection.DeskOnShiftedClock.At(clock, new DateOnly(year, month, day), hour);

    private Task<HttpClient> SignInAsync(WebApplicationFactory<CollectionEntryPoint> desk, ShiftedClock clock, string userName) =>
        Collection.DeskOnShiftedClock.SignInAsync(desk, clock, fixture.Desk.HintOf(userName));

    private Task<(Guid Id, int Version)> RegisterAsync(string community) => Collection.DeskOnShiftedClock.RegisterAsync(fixture.Registry, community);

    private static Task<JsonObject> CorrectionAsync(HttpClient desk, (Guid Id, int Version) person, bool submit) =>
        Collection.DeskOnShiftedClock.CorrectionAsync(desk, person, submit);

    private static Guid Id(JsonObject form) => Collection.DeskOnShiftedClock.Id(form);
}
