using System.Text.Json.Nodes;
using PopInfo.Domain.Regions;
using PopInfo.IntegrationTests.Collection;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Exchange;

/// <summary>
/// The platform's central promise: a record entered at a community desk reaches every subscribing bureau —
/// exactly as entitled, once per subscription, in order per person — also the bureau that was away for a while.
/// </summary>
public sealed class DeskToBureausTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Births_at_the_desk_reach_every_subscribing_bureau_including_one_that_was_offline_and_catches_up()
    {
        var desk = fixture.Desk;
        var street = desk.Street;
        string[] identity = ["idNumber", "name", "sex", "birthDate", "residenceRegionCode", "motherId"];

        // Police over AMQP, the whole city; health over a webhook, twice (the street, minimal; the community, the name);
        // civil affairs over AMQP, not consuming while the births are entered.
        var police = await fixture.CreateDepartmentAsync("police");
        await fixture.SubscribeAsync(police.Code, ["born", "corrected"], [RegionCatalogue.Wuxi.CityCode], identity);
        await using var healthEndpoint = await WebhookReceiver.StartAsync();
        var health = await fixture.CreateDepartmentAsync("health", healthEndpoint.Url);
        healthEndpoint.Secret = health.WebhookSecret;
        var healthMinimal = await fixture.SubscribeAsync(health.Code, ["born", "corrected"], [street], ["sex", "birthDate", "residenceRegionCode"]);
        var healthNames = await fixture.SubscribeAsync(health.Code, ["born"], [desk.CommunityA], ["name"]);
        var civil = await fixture.CreateDepartmentAsync("civil");
        await fixture.SubscribeAsync(civil.Code, ["born", "corrected"], [street], ["birthDate", "sex", "occupation"]);

        using var collector = await desk.SignInAsync("collector-a");
        var mother = await desk.RegisterResidentAsync(sex: "2");

        // Three births while the health bureau's endpoint is down: they end on its dead-letter list.
        await healthEndpoint.GoOfflineAsync();
        var births = new List<JsonObject>();
        for (var i = 0; i < 3; i++)
        {
            births.Add(await SubmitBirthAsync(collector, mother.IdNumber));
        }

        await Eventually.TrueAsync(async () => (long)(await fixture.StatusAsync(health.Code))["webhook"]!["deadLetters"]! >= 1, Wait, "health's dead letters");

        // The endpoint is back: two more births arrive directly; the administrator redrives the rest.
        await healthEndpoint.GoOnlineAsync();
        for (var i = 0; i < 2; i++)
        {
            births.Add(await SubmitBirthAsync(collector, mother.IdNumber));
        }

        var child = Guid.Parse((string)births[0]["registry"]!["personId"]!);
        await fixture.CorrectOccupationAsync(child, "无");
        await Eventually.TrueAsync(async () => (long)(await fixture.StatusAsync(health.Code))["webhook"]!["pending"]! == 0, Wait, "health's queue of posts to drain");
        var (redriveStatus, _) = await fixture.Admin.PostAsync($"/api/v1/departments/{health.Code}/dead-letters/redrive", new { });
        Assert.Equal(200, redriveStatus);

        // Police: one event per birth and one for the correction, all identity fields, nothing else.
        var policeEvents = (await DepartmentQueue.TakeAsync(fixture.DepartmentBrokerUri(police), police.Queue, 6, Wait)).Select(e => e.Json).ToList();
        Assert.Equal(6, policeEvents.Count);
        Assert.All(policeEvents, e => Assert.Subset(new HashSet<string>(["personId", .. identity]), PersonKeys(e)));
        Assert.Equal(births.Select(b => (string)b["registry"]!["personId"]!), policeEvents.Where(IsBirth).Select(e => (string)e["subject"]!));
        Assert.Equal(births.Select(b => (string)b["data"]!["idNumber"]!), policeEvents.Where(IsBirth).Select(e => (string)e["data"]!["person"]!["idNumber"]!));

        // Health: two events per birth (one per subscription, each with its own fields) and one for the correction,
        // once each, although three of them came by redrive.
        await Eventually.TrueAsync(() => Task.FromResult(healthEndpoint.Accepted.Count >= 11), Wait, "eleven posts to health", async () =>
            $"accepted {healthEndpoint.Accepted.Count}, attempts {healthEndpoint.Attempts}, status {(await fixture.StatusAsync(health.Code)).ToJsonString()}, " +
            $"dead letters {(await fixture.Admin.GetArrayAsync($"/api/v1/departments/{health.Code}/dead-letters")).ToJsonString()}");
        var healthEvents = healthEndpoint.Accepted.Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToList();
        Assert.Equal(11, healthEvents.Count);
        Assert.Equal(11, healthEvents.Select(e => (string)e["id"]!).Distinct().Count());
        var minimal = healthEvents.Where(e => (string)e["subscriptionid"]! == (string)healthMinimal["id"]!).ToList();
        var names = healthEvents.Where(e => (string)e["subscriptionid"]! == (string)healthNames["id"]!).ToList();
        Assert.Equal(6, minimal.Count);
        Assert.Equal(5, names.Count);
        Assert.All(minimal, e => Assert.Subset(new HashSet<string>(["personId", "sex", "birthDate", "residenceRegionCode"]), PersonKeys(e)));
        Assert.All(names, e => Assert.Equal(new HashSet<string>(["personId", "name"]), PersonKeys(e)));
        Assert.All(healthEvents, e => Assert.DoesNotContain("idNumber", e.ToJsonString(), StringComparison.Ordinal));
        // In order per person: the child's birth before its correction.
        Assert.Equal([1, 2], minimal.Where(e => (string)e["subject"]! == child.ToString()).Select(e => (int)e["data"]!["version"]!));

        // Civil affairs was not consuming; it catches up from its queue, in its own sequence order, and the feed agrees.
        var civilStatus = await fixture.StatusAsync(civil.Code);
        Assert.Equal(6, (long)civilStatus["lastSequence"]!);
        var civilEvents = await DepartmentQueue.TakeAsync(fixture.DepartmentBrokerUri(civil), civil.Queue, 6, Wait);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => i.ToString("D20")), civilEvents.Select(e => (string)e.Json["sequence"]!));
        Assert.Equal(civilEvents.Select(e => JsonNode.Parse(e.Body)!.ToJsonString()), (await fixture.FeedAsync(civil)).Select(e => e!.ToJsonString()));
        Assert.Equal(["occupation"], civilEvents[^1].Json["data"]!["changedFields"]!.AsArray().Select(f => (string)f!));

        // For a form: which departments have its change.
        var sequence = (long)births[^1]["registry"]!["sequence"]!;
        var deliveries = await fixture.Admin.GetArrayAsync($"/api/v1/changes/{sequence}/deliveries");
        Assert.Equal([civil.Code, health.Code, health.Code, police.Code], deliveries.Select(d => (string)d!["department"]!).Order(StringComparer.Ordinal));
    }

    private static async Task<JsonObject> SubmitBirthAsync(HttpClient collector, string motherIdNumber)
    {
        var (status, form) = await collector.PostAsync("/api/v1/forms", DeskForms.Birth(motherIdNumber));
        Assert.True(status == 201, form.ToJsonString());
        var answered = await DeskFixture.WaitForAnswerAsync(collector, Guid.Parse((string)form["id"]!));
        Assert.True((string?)answered["state"] == "accepted", answered.ToJsonString());
        return answered;
    }

    private static bool IsBirth(JsonObject e) => (string)e["type"]! == "cn.popinfo.person.born.v1";

    private static HashSet<string> PersonKeys(JsonObject e) => [.. e["data"]!["person"]!.AsObject().Select(p => p.Key)];
}
