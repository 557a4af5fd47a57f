using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PopInfo.Domain.Access;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Monitoring.Alerts;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Monitoring;

/// <summary>
/// Issue 12's alerts on the distributed mode in one process (registry, desk and exchange on PostgreSQL and RabbitMQ): a
/// department that stops taking its queue shows as growing lag in the monitoring service's flow and opens the
/// department-lag alert within 60 seconds, posted once as a signed webhook although two monitoring instances run; when the
/// department catches up the alert ends, posted once too. The rule's change is in the operators' trail.
/// </summary>
public sealed class AlertFlowTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_department_not_taking_its_queue_raises_a_lag_alert_within_a_minute_which_ends_when_it_catches_up()
    {
        var community = ExchangeFixture.FreshCommunity();
        var bureau = await fixture.CreateDepartmentAsync("civil");
        await fixture.SubscribeAsync(bureau.Code, ["registered"], [community], ["sex"]);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Secret = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var settings = new Dictionary<string, string?>(RegistryHost.DistributedSettings(fixture.Desk.Database, fixture.Desk.Broker.UriOf("monitoring")))
        {
            ["PopInfo:Monitoring:Services:exchange"] = "http://localhost/",
            ["PopInfo:Monitoring:SampleInterval"] = "00:00:01",
            ["PopInfo:Monitoring:NotificationUrl"] = receiver.Url.ToString(),
            ["PopInfo:Monitoring:NotificationSecret"] = receiver.Secret,
        };
        var handlers = new Dictionary<string, Func<HttpMessageHandler>> { ["exchange"] = () => fixture.Exchange.Server.CreateHandler() };
        // Two instances on one database: one leads (samples, evaluates, notifies), the other waits for the lease.
        await using var first = new MonitoringHost(settings, handlers);
        await using var second = new MonitoringHost(settings, handlers);
        using var operatorClient = OperatorClient(first);
        using var secondClient = OperatorClient(second);

        // The operator shortens the shipped rule (lag over 600 s for 120 s) to lag over 2 s for 3 s: in the trail.
        var rules = await operatorClient.GetFromJsonAsync<JsonArray>("/api/v1/alert-rules");
        var shipped = rules!.Single(r => (string?)r!["code"] == "department-lag")!;
        Assert.Equal((600.0, 120, 1), ((double)shipped["threshold"]!, (int)shipped["durationSeconds"]!, (int)shipped["version"]!));
        using var changed = await operatorClient.PutAsJsonAsync("/api/v1/alert-rules/department-lag", new { threshold = 2, durationSeconds = 3, version = 1 });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        using var stale = await secondClient.PutAsJsonAsync("/api/v1/alert-rules/department-lag", new { threshold = 5, version = 1 });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var trail = await operatorClient.GetFromJsonAsync<JsonObject>("/api/v1/operator-actions");
        var change = trail!["items"]!.AsArray().Single(a => (string?)a!["subject"] == "department-lag")!;
        Assert.Equal(("rule.change", "operator:operator.1"), ((string)change["action"]!, (string)change["actor"]!));
        Assert.Contains("\"threshold\":600", (string)change["before"]!);
        Assert.Contains("\"threshold\":2", (string)change["after"]!);
        Assert.True((bool)trail["chain"]!["intact"]!);

        // Nobody takes the department's queue: three events wait there.
        var started = DateTimeOffset.UtcNow;
        for (var i = 0; i < 3; i++)
        {
            await fixture.RegisterResidentAsync(community);
        }

        JsonNode? alert = null;
        await Eventually.TrueAsync(async () =>
        {
            alert = (await operatorClient.GetFromJsonAsync<JsonObject>("/api/v1/alerts"))!["items"]!.AsArray()
                .Select(a => a!["alert"]).FirstOrDefault(a => (string?)a!["subject"] == bureau.Code && (string?)a["ruleCode"] == "department-lag");
            return alert is not null;
        }, Minute, "the department-lag alert", async () => (await operatorClient.GetStringAsync("/api/v1/flow")));
        var firedWithin = DateTimeOffset.UtcNow - started;
        Assert.True(firedWithin < Minute, $"fired after {firedWithin}");
        Assert.True((double)alert!["firedValue"]! > 2);
        Assert.Null(alert["endedAt"]);

        // The flow showed the lag growing: its samples rise while the queue waits.
        var lag = await operatorClient.GetFromJsonAsync<JsonObject>(
            $"/api/v1/samples?metric=department.lag_seconds&subject={bureau.Code}&from={Uri.EscapeDataString(started.AddSeconds(-5).ToString("O"))}");
        var lags = lag!["samples"]!.AsArray().Select(s => (double)s!["value"]!).ToList();
        Assert.True(lags.Count >= 3 && lags[^1] > lags.First(v => v > 0), string.Join(", ", lags));
        var flow = await operatorClient.GetFromJsonAsync<JsonObject>("/api/v1/flow");
        var department = flow!["departments"]!.AsArray().Single(d => (string?)d!["department"] == bureau.Code)!;
        Assert.Equal(3, (double)department["backlog"]!);

        // The operator acknowledges it; a second acknowledgement keeps the first.
        var id = (long)alert["id"]!;
        using var acknowledged = await operatorClient.PostAsync($"/api/v1/alerts/{id}/acknowledge", null);
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        var firstAck = (await acknowledged.Content.ReadFromJsonAsync<JsonObject>())!["alert"]!;
        Assert.Equal("operator:operator.1", (string?)firstAck["acknowledgedBy"]);
        using var again = await secondClient.PostAsync($"/api/v1/alerts/{id}/acknowledge", null);
        Assert.Equal((string?)firstAck["acknowledgedAt"], (string?)(await again.Content.ReadFromJsonAsync<JsonObject>())!["alert"]!["acknowledgedAt"]);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.PostAsync("/api/v1/alerts/999999999/acknowledge", null)).StatusCode);

        // The department catches up: the alert ends (the broker's statistics lag by a few seconds).
        Assert.Equal(3, (await DepartmentQueue.TakeAsync(fixture.DepartmentBrokerUri(bureau), bureau.Queue, 3, Minute)).Count);
        await Eventually.TrueAsync(async () =>
            (await operatorClient.GetFromJsonAsync<JsonObject>("/api/v1/alerts?state=all"))!["items"]!.AsArray()
                .Any(a => (long)a!["alert"]!["id"]! == id && a["alert"]!["endedAt"] is not null),
            Minute, "the alert to end", async () => (await operatorClient.GetStringAsync("/api/v1/flow")));
        Assert.DoesNotContain((await operatorClient.GetFromJsonAsync<JsonObject>("/api/v1/alerts"))!["items"]!.AsArray(),
            a => (long)a!["alert"]!["id"]! == id);

        // Posted once each, signed, although two instances ran: opened, then ended.
        var opened = $"alert-{id}-opened";
        var ended = $"alert-{id}-ended";
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Accepted.Any(r => r.Id == ended)), Minute, "the ended notification");
        var mine = receiver.Accepted.Where(r => r.Id == opened || r.Id == ended).ToList();
        Assert.Equal([opened, ended], mine.Select(r => r.Id));
        Assert.All(mine, r => Assert.True(r.SignatureValid));
        Assert.All(mine, r => Assert.Equal("application/cloudevents+json; charset=utf-8", r.ContentType));
        var body = JsonNode.Parse(mine[0].Body)!;
        Assert.Equal(("cn.popinfo.monitoring.alert.opened.v1", bureau.Code, "department-lag"),
            ((string)body["type"]!, (string)body["data"]!["subject"]!, (string)body["data"]!["rule"]!));
        Assert.Equal(mine.Count, receiver.Accepted.Count(r => r.Id.StartsWith($"alert-{id}-", StringComparison.Ordinal)));

        // Exactly one instance led.
        var leaders = new[] { await LeadsAsync(operatorClient), await LeadsAsync(secondClient) };
        Assert.Equal(1, leaders.Count(l => l));
    }

    [Fact]
    public async Task Only_operators_see_the_flow_and_alerts_and_a_bad_rule_is_refused_by_field_and_rule()
    {
        var settings = new Dictionary<string, string?>(RegistryHost.DistributedSettings(fixture.Desk.Database, fixture.Desk.Broker.UriOf("monitoring")))
        {
            ["PopInfo:Monitoring:Services:exchange"] = "http://localhost/",
        };
        await using var monitoring = new MonitoringHost(settings, new Dictionary<string, Func<HttpMessageHandler>> { ["exchange"] = () => fixture.Exchange.Server.CreateHandler() });
        using var operatorClient = OperatorClient(monitoring);
        using var bad = await operatorClient.PutAsJsonAsync("/api/v1/alert-rules/Bad_Code", new
        {
            metric = "no.such", comparison = "equal", threshold = 1, durationSeconds = -1, severity = "info", description = "x\u0007", version = 0,
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonObject>();
        var violations = problem!["violations"]!.AsArray().Select(v => ((string)v!["field"]!, (string)v["rule"]!)).ToList();
        Assert.Contains(("description", "text.control-character"), violations);
        Assert.Equal(400, (int)(await (await operatorClient.GetAsync("/api/v1/samples?metric=no.such")).Content.ReadFromJsonAsync<JsonObject>())!["status"]!);
        var rules = await operatorClient.GetFromJsonAsync<JsonArray>("/api/v1/alert-rules");
        Assert.DoesNotContain(rules!, r => (string?)r!["code"] == "Bad_Code");

        using var invalid = await operatorClient.PutAsJsonAsync("/api/v1/alert-rules/Bad_Code", new
        {
            metric = "no.such", comparison = "equal", threshold = 1, durationSeconds = -1, severity = "info", description = "x", version = 0,
        });
        var named = (await invalid.Content.ReadFromJsonAsync<JsonObject>())!["violations"]!.AsArray().Select(v => ((string)v!["field"]!, (string)v["rule"]!));
        Assert.Equal([("code", "code.format"), ("metric", "metric.known"), ("comparison", "comparison.known"), ("durationSeconds", "range"),
            ("severity", "severity.known")], named);

        // The lists' query: an unknown state and paging out of range are refused by field and rule, the limit at both ends.
        foreach (var (query, expected) in new (string, (string, string)[])[]
        {
            ("/api/v1/alerts?state=closed&before=0&limit=0", [("state", "state.known"), ("before", "range"), ("limit", "range")]),
            ($"/api/v1/alerts?limit={AlertService.MaxLimit + 1}", [("limit", "range")]),
            ("/api/v1/operator-actions?before=-5&limit=0", [("before", "range"), ("limit", "range")]),
        })
        {
            using var refused = await operatorClient.GetAsync(query);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var fields = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["violations"]!.AsArray().Select(v => ((string)v!["field"]!, (string)v["rule"]!));
            Assert.Equal(expected, fields);
        }

        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync($"/api/v1/alerts?state=all&limit={AlertService.MaxLimit}")).StatusCode);

        using var planner = Client(monitoring, TestIssuer.Shared.Token([], "popinfo-dashboard", "planner.1", PlatformRoles.Planner,
            audiences: [PlatformScopes.Audience("monitoring")]));
        foreach (var path in new[] { "/api/v1/flow", "/api/v1/alerts", "/api/v1/alert-rules", "/api/v1/operator-actions", "/api/v1/samples?metric=service.ready" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await planner.GetAsync(path)).StatusCode);
        }
    }

    private static async Task<bool> LeadsAsync(HttpClient client) =>
        (bool)(await client.GetFromJsonAsync<JsonObject>("/api/v1/flow"))!["thisInstanceLeads"]!;

    private static HttpClient OperatorClient(MonitoringHost monitoring) =>
        Client(monitoring, TestIssuer.Shared.Token([], "popinfo-monitor-page", "operator.1", PlatformRoles.Operator, audiences: [PlatformScopes.Audience("monitoring")]));

    private static HttpClient Client(MonitoringHost host, string token)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
