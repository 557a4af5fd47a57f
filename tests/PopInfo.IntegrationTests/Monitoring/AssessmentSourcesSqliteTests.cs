using System.Globalization;
using System.Net.Http.Headers;
using PopInfo.Domain.Regions;
using PopInfo.IntegrationTests.Collection;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Monitoring;

/// <summary>
/// The sources of timeliness and assessment on SQLite (the embedded host): the desk's clearing facts and the exchange's
/// department facts come out of the same store classes through the SQLite dialect (city dates, JSON fields, seconds) with
/// the counts the test made.
/// </summary>
public sealed class AssessmentSourcesSqliteTests
{
    [Fact]
    public async Task On_sqlite_the_desk_and_the_exchange_give_the_facts_made()
    {
        await using var platform = new EmbeddedPlatform();
        var community = RegionCatalogue.Wuxi.Communities[0].Code;
        var issuer = TestIssuer.Shared;
        var hint = issuer.People.Add(new TestPerson("sqlite-collector-" + Guid.NewGuid().ToString("N")[..6], "collector", "collector", community));
        using var desk = await DeskSignIn.SignInAsync(platform.ClientOf(5102), hint);
        using var registry = platform.ClientOf(5101);
        var residents = new List<(Guid Id, string IdNumber, int Version)>();
        for (var i = 0; i < 2; i++)
        {
            var person = People.ResidentOf(community);
            var (registered, created) = await registry.PostAsync("/api/v1/persons", person);
            Assert.Equal(201, registered);
            residents.Add((Guid.Parse((string)created["personId"]!), (string)person["idNumber"]!, (int)created["version"]!));
        }

        // The desk: a draft and a correction submitted at once and accepted.
        var (draftStatus, draft) = await desk.PostAsync("/api/v1/forms", new { formType = "birth", data = new Dictionary<string, string>() });
        Assert.Equal(201, draftStatus);
        var (_, correction) = await desk.PostAsync("/api/v1/forms", new
        {
            formType = "correction", personId = residents[0].Id, expectedVersion = residents[0].Version, submit = true, data = new { occupation = "教师", reason = "职业变更" },
        });
        Assert.Equal("accepted", (string)(await DeskFixture.WaitForAnswerAsync(desk, Guid.Parse((string)correction["id"]!)))["state"]!);
        var day = (string)draft["day"]!;

        using var monitor = platform.ClientOf(5102);
        monitor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Token([PlatformScopes.CollectionMonitor], "popinfo-monitoring"));
        var (status, clearing) = await monitor.GetJsonAsync($"/api/v1/monitor/clearing?from={day}&to={day}");
        Assert.Equal(200, status);
        var facts = clearing["days"]!.AsArray().Single()!;
        Assert.Equal((community, day, 2, 1, 1, 1, 1, 0, false), ((string)facts["communityCode"]!, (string)facts["day"]!, (int)facts["forms"]!, (int)facts["drafts"]!,
            (int)facts["accepted"]!, (int)facts["acceptedFirstTime"]!, (int)facts["submittedSameDay"]!, (int)facts["submittedLater"]!, (bool)facts["cleared"]!));

        // The exchange: a department pushes a death dated yesterday, receives it, and reads it from the feed.
        using var admin = platform.ClientOf(5103);
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ExchangeHost.AdminKey);
        var code = "sq-" + Guid.NewGuid().ToString("N")[..6];
        var (made, department) = await admin.PostAsync("/api/v1/departments", new { code, name = "health bureau", contact = "duty desk", inboundKinds = new[] { "death" } });
        Assert.True(made == 201, department.ToJsonString());
        Assert.Equal(201, (await admin.PostAsync($"/api/v1/departments/{code}/subscriptions",
            new { changeTypes = new[] { "died" }, regions = new[] { community }, fields = new[] { "idNumber" }, purpose = "Close the records of the dead." })).Status);
        using var bureau = platform.ClientOf(5103);
        bureau.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)department["credentials"]!["apiKey"]!);
        var yesterday = CityDate.Today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (pushed, answer) = await bureau.PostAsync("/api/v1/inbound", new
        {
            records = new[] { new { recordId = "SQ-D-1", kind = "death", person = new { idNumber = residents[1].IdNumber }, deathDate = yesterday } },
        });
        Assert.True(pushed == 200, answer.ToJsonString());
        await Eventually.TrueAsync(async () => (string?)(await bureau.GetJsonAsync("/api/v1/inbound/SQ-D-1")).Body["state"] == "applied", TimeSpan.FromSeconds(30), "the death applied");
        await Eventually.TrueAsync(async () => (long)(await admin.GetJsonAsync($"/api/v1/departments/{code}/delivery-status")).Body["lastSequence"]! >= 1,
            TimeSpan.FromSeconds(30), "the death delivered");
        Assert.Single((await bureau.GetJsonAsync("/api/v1/feed?after=0&limit=10")).Body["events"]!.AsArray());

        using var exchangeMonitor = platform.ClientOf(5103);
        exchangeMonitor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Token([PlatformScopes.ExchangeMonitor], "popinfo-monitoring"));
        var (read, page) = await exchangeMonitor.GetJsonAsync($"/api/v1/monitor/departments?from={day}&to={day}");
        Assert.True(read == 200, page.ToJsonString());
        var mine = page["days"]!.AsArray().Single(d => (string)d!["departmentCode"]! == code)!;
        Assert.Equal((day, 1, 1, 1, 1, 1, 1, 1, 0), ((string)mine["day"]!, (int)mine["received"]!, (int)mine["applied"]!, (int)mine["dated"]!, (int)mine["onTime"]!,
            (int)mine["delivered"]!, (int)mine["acknowledged"]!, (int)mine["acknowledgedInTime"]!, (int)mine["acknowledgedUntimed"]!));
        Assert.Contains(page["departments"]!.AsArray(), d => (string)d!["code"]! == code && (string)d["name"]! == "health bureau");
    }
}
