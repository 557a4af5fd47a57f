using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PopInfo.Domain.Access;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Monitoring;

/// <summary>
/// A monitoring outage loses no alert condition (issue 12, ADR 0004 decision 5): the evaluator keeps nothing in memory, so a
/// service that recovered while monitoring was down has its alert ended by the next instance's first ticks, and a service
/// that failed while monitoring was down gets its alert from the next instance — each notified exactly once. The lease
/// passes from a stopped instance to the next (PostgreSQL).
/// </summary>
public sealed class MonitoringOutageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Conditions_that_changed_while_monitoring_was_down_are_seen_on_start_and_notified_once()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Secret = "whsec_" + Convert.ToBase64String(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray());
        var ghost = new SwitchableService();
        var settings = new Dictionary<string, string?>
        {
            ["PopInfo:Database:Provider"] = "PostgreSql",
            ["PopInfo:Database:ConnectionString"] = database,
            ["PopInfo:Database:AllowSuperuser"] = "true",
            ["PopInfo:Bus:Transport"] = "InMemory",
            ["PopInfo:Monitoring:Services:ghost"] = "http://ghost/",
            ["PopInfo:Monitoring:SampleInterval"] = "00:00:01",
            ["PopInfo:Monitoring:NotificationUrl"] = receiver.Url.ToString(),
            ["PopInfo:Monitoring:NotificationSecret"] = receiver.Secret,
        };
        var handlers = new Dictionary<string, Func<HttpMessageHandler>> { ["ghost"] = () => ghost };
        try
        {
            // The service is down: the first instance opens its alert (the rule shortened to two seconds), then stops.
            long firstAlert;
            await using (var first = new MonitoringHost(settings, handlers))
            {
                using var operatorClient = OperatorClient(first);
                using var shortened = await operatorClient.PutAsJsonAsync("/api/v1/alert-rules/service-not-ready", new { durationSeconds = 2, version = 1 });
                Assert.Equal(HttpStatusCode.OK, shortened.StatusCode);
                firstAlert = await OpenAlertAsync(operatorClient);
            }

            // While monitoring is down the service recovers: the next instance ends the alert from its first samples.
            ghost.Up = true;
            await using (var second = new MonitoringHost(settings, handlers))
            {
                using var operatorClient = OperatorClient(second);
                await Eventually.TrueAsync(async () => (await AlertsAsync(operatorClient, "all")).Any(a => (long)a["id"]! == firstAlert && a["endedAt"] is not null),
                    Wait, "the recovered service's alert to end");
                Assert.Empty(await AlertsAsync(operatorClient, "open"));
            }

            // While monitoring is down again the service fails: the next instance opens a new alert once the rule's two
            // seconds have held in its own samples.
            ghost.Up = false;
            var started = DateTimeOffset.UtcNow;
            await using (var third = new MonitoringHost(settings, handlers))
            {
                using var operatorClient = OperatorClient(third);
                var secondAlert = await OpenAlertAsync(operatorClient);
                Assert.NotEqual(firstAlert, secondAlert);
                Assert.True(DateTimeOffset.UtcNow - started < Wait);
                Assert.Single(await AlertsAsync(operatorClient, "open"));

                // Each change notified exactly once, in order.
                await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Count >= 3), Wait, "three notifications");
                Assert.Equal([$"alert-{firstAlert}-opened", $"alert-{firstAlert}-ended", $"alert-{secondAlert}-opened"], receiver.Accepted.Select(r => r.Id));
            }
        }
        finally
        {
            await TestInfrastructure.DropDatabaseAsync(database);
        }
    }

    private static async Task<long> OpenAlertAsync(HttpClient operatorClient)
    {
        JsonObject? alert = null;
        await Eventually.TrueAsync(async () =>
        {
            alert = (await AlertsAsync(operatorClient, "open")).FirstOrDefault(a => (string?)a["ruleCode"] == "service-not-ready" && (string?)a["subject"] == "ghost");
            return alert is not null;
        }, Wait, "the service-not-ready alert of ghost");
        return (long)alert!["id"]!;
    }

    private static async Task<List<JsonObject>> AlertsAsync(HttpClient client, string state) =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/v1/alerts?state={state}"))!["items"]!.AsArray().Select(a => a!["alert"]!.AsObject()).ToList();

    private static HttpClient OperatorClient(MonitoringHost monitoring)
    {
        var client = monitoring.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token([], "popinfo-monitor-page", "operator.2", PlatformRoles.Operator, audiences: [PlatformScopes.Audience("monitoring")]));
        return client;
    }

    /// <summary>A watched service that is up (health 200, a version) or down (503), as the test says.</summary>
    private sealed class SwitchableService : HttpMessageHandler
    {
        public volatile bool Up;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var status = Up ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable;
            var body = path.EndsWith("/api/v1/service", StringComparison.Ordinal) ? "{\"name\":\"ghost\",\"version\":\"1.0.0\"}" : "{\"checks\":[]}";
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
