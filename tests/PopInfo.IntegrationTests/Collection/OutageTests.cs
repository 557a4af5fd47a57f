using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Collection;

/// <summary>Forms submitted while the registry is down wait, shown pending, and are applied exactly once when it is back.</summary>
public sealed class OutageTests(DeskFixture fixture) : IClassFixture<DeskFixture>
{
    [Fact]
    public async Task Forms_submitted_during_a_registry_outage_are_applied_once_when_it_returns()
    {
        var mothers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            mothers.Add((await fixture.RegisterResidentAsync()).IdNumber);
        }

        using var desk = await fixture.SignInAsync("collector-a");
        // The monitoring service watches the desk's outbox to the registry (issue 12, "Flow"): it must see the five wait.
        await using var monitoring = new MonitoringHost(new Dictionary<string, string?>
        {
            ["PopInfo:Monitoring:Services:collection"] = "http://localhost/",
            ["PopInfo:Monitoring:SampleInterval"] = "00:00:01",
        }, new Dictionary<string, Func<HttpMessageHandler>> { ["collection"] = () => fixture.Desk.Server.CreateHandler() });
        using var operatorClient = monitoring.CreateClient();
        operatorClient.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token([], "popinfo-monitor-page", "op-outbox", "operator", audiences: [PopInfo.ServiceDefaults.Security.PlatformScopes.Audience("monitoring")]));
        async Task<double?> WaitingAsync(string outbox)
        {
            var (_, flow) = await operatorClient.GetJsonAsync("/api/v1/flow");
            return (double?)flow["latest"]?["outbox.waiting"]?["collection/" + outbox];
        }

        await PopInfo.IntegrationTests.Exchange.Eventually.TrueAsync(async () => await WaitingAsync("submissions-unanswered") == 0, TimeSpan.FromSeconds(30),
            "the desk's outbox sampled empty");
        await fixture.StopRegistryAsync();

        var formIds = new List<Guid>();
        foreach (var mother in mothers)
        {
            var (status, form) = await desk.PostAsync("/api/v1/forms", DeskForms.Birth(mother));
            Assert.Equal(201, status);
            formIds.Add(Guid.Parse((string)form["id"]!));
        }

        // Waiting: handed to the broker's durable queue (none unsent), no answer yet.
        await PopInfo.IntegrationTests.Exchange.Eventually.TrueAsync(
            async () => await WaitingAsync("submissions-unanswered") == 5 && await WaitingAsync("submissions-unsent") == 0, TimeSpan.FromSeconds(30),
            "the five forms seen sent and waiting in the desk's outbox");
        foreach (var id in formIds)
        {
            var (_, form) = await desk.GetJsonAsync($"/api/v1/forms/{id}");
            Assert.Equal("submitted", (string)form["state"]!);
            Assert.True((bool)form["pending"]!);
        }

        fixture.StartRegistry();
        foreach (var id in formIds)
        {
            var form = await DeskFixture.WaitForAnswerAsync(desk, id, TimeSpan.FromSeconds(60));
            Assert.Equal("accepted", (string)form["state"]!);
        }

        await PopInfo.IntegrationTests.Exchange.Eventually.TrueAsync(async () => await WaitingAsync("submissions-unanswered") == 0, TimeSpan.FromSeconds(30),
            "the desk's outbox sampled empty again");

        // Exactly once: one birth per form in the register's change log.
        Assert.Equal(5, await fixture.ScalarAsync("SELECT COUNT(*) FROM registry.change_log WHERE change_type = 'born'"));
    }
}
