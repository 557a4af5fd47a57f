using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PopInfo.Domain.Access;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Monitoring;

/// <summary>
/// The platform's health for operators (issue 12, "Health"): a running registry is live and ready with its checks and
/// version, a service at a closed port is down with the reason's kind, and the broker is read from its management API by
/// a user of the <c>monitoring</c> tag — its queue count equal to what the broker's administrator lists. Operators only.
/// </summary>
public sealed class PlatformHealthTests
{
    [Fact]
    public async Task Operators_see_each_service_live_ready_or_down_and_the_brokers_queues()
    {
        await using var registry = new RegistryHost(new Dictionary<string, string?>
        {
            ["PopInfo:Database:Provider"] = "Sqlite",
            ["PopInfo:Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "popinfo-monitored-registry-" + Guid.NewGuid().ToString("N")[..12]),
            ["PopInfo:Bus:Transport"] = "InMemory",
        });
        _ = registry.Server;

        // A user the broker tags "monitoring", with permissions that match nothing ("^$") on a virtual host of this test's,
        // which holds one queue of three messages: it may list the queue, never touch it.
        using var admin = await TestInfrastructure.ManagementClientAsync();
        var vhost = await TestInfrastructure.CreateVirtualHostAsync();
        var vhostName = Uri.EscapeDataString(vhost.AbsolutePath.TrimStart('/'));
        var user = "popinfo-monitor-" + Guid.NewGuid().ToString("N")[..8];
        Assert.True((await admin.PutAsJsonAsync($"api/users/{user}", new { password = "watch-it", tags = "monitoring" })).IsSuccessStatusCode);
        Assert.True((await admin.PutAsJsonAsync($"api/permissions/{vhostName}/{user}", new { configure = "^$", write = "^$", read = "^$" })).IsSuccessStatusCode);
        Assert.True((await admin.PutAsJsonAsync($"api/queues/{vhostName}/watched", new { durable = true })).IsSuccessStatusCode);
        for (var i = 0; i < 3; i++)
        {
            using var published = await admin.PostAsJsonAsync($"api/exchanges/{vhostName}/amq.default/publish",
                new { properties = new { }, routing_key = "watched", payload = "m" + i, payload_encoding = "string" });
            Assert.Contains("\"routed\":true", await published.Content.ReadAsStringAsync());
        }

        try
        {
            await using var monitoring = new MonitoringHost(new Dictionary<string, string?>
            {
                ["PopInfo:Monitoring:Services:registry"] = "http://localhost/",
                ["PopInfo:Monitoring:Services:exchange"] = $"http://127.0.0.1:{ClosedPort()}/",
                ["PopInfo:Monitoring:ProbeTimeout"] = "00:00:05",
                ["PopInfo:Monitoring:BrokerManagementUrl"] = (await TestInfrastructure.RabbitMqManagementAsync()).ToString(),
                ["PopInfo:Monitoring:BrokerUser"] = user,
                ["PopInfo:Monitoring:BrokerPassword"] = "watch-it",
                ["PopInfo:Monitoring:DeepestQueues"] = "1000",
            }, new Dictionary<string, Func<HttpMessageHandler>> { ["registry"] = () => registry.Server.CreateHandler() });

            using var operatorClient = Client(monitoring, TestIssuer.Shared.Token([], "popinfo-monitor-page", "operator.1", PlatformRoles.Operator,
                audiences: [PlatformScopes.Audience("monitoring")]));
            // The management API's queue figures are statistics, refreshed every few seconds: asked until they show the three.
            JsonNode health = null!;
            var text = "";
            await PopInfo.IntegrationTests.Exchange.Eventually.TrueAsync(async () =>
            {
                using var answer = await operatorClient.GetAsync("/api/v1/health");
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                text = await answer.Content.ReadAsStringAsync();
                health = JsonNode.Parse(text)!;
                return health["broker"]!["deepestQueues"]!.AsArray().Any(q => (string?)q!["name"] == "watched" && (long)q["messages"]! == 3);
            }, TimeSpan.FromSeconds(30), "the watched queue's three messages shown");
            var services = health["services"]!.AsArray().ToDictionary(s => (string)s!["name"]!);

            var up = services["registry"]!;
            Assert.True((bool)up["live"]! && (bool)up["ready"]! && up["problem"] is null, text);
            Assert.False(string.IsNullOrEmpty((string?)up["version"]));
            Assert.NotEmpty(up["checks"]!.AsArray());
            Assert.All(up["checks"]!.AsArray(), c => Assert.Equal("Healthy", (string?)c!["status"]));

            var down = services["exchange"]!;
            Assert.Equal((false, false, "HttpRequestException"), ((bool)down["live"]!, (bool)down["ready"]!, (string?)down["problem"]));
            Assert.False((bool)health["allWell"]!);

            var broker = health["broker"]!;
            Assert.True((bool)broker["answered"]!, (string?)broker["problem"]);
            Assert.StartsWith("3.", (string?)broker["version"]);
            Assert.Contains(broker["nodes"]!.AsArray(), n => (bool)n!["running"]!);
            var watched = broker["deepestQueues"]!.AsArray().Single(q => (string?)q!["name"] == "watched")!;
            Assert.Equal((vhost.AbsolutePath.TrimStart('/'), 3L, 3L, 0L, 0), ((string)watched["virtualHost"]!, (long)watched["messages"]!, (long)watched["ready"]!,
                (long)watched["unacknowledged"]!, (int)watched["consumers"]!));
            // It can list, not read: the queue still holds its three messages.
            var held = JsonNode.Parse(await admin.GetStringAsync($"api/queues/{vhostName}/watched"))!;
            Assert.Equal(3, (int)held["messages"]!);

            // Not an operator: refused.
            using var planner = Client(monitoring, TestIssuer.Shared.Token([], "popinfo-dashboard", "planner.1", PlatformRoles.Planner,
                audiences: [PlatformScopes.Audience("monitoring")]));
            Assert.Equal(HttpStatusCode.Forbidden, (await planner.GetAsync("/api/v1/health")).StatusCode);
            using var anonymous = monitoring.CreateClient();
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/health")).StatusCode);
        }
        finally
        {
            await admin.DeleteAsync($"api/users/{user}");
            await TestInfrastructure.DeleteVirtualHostAsync(vhost);
        }
    }

    private static HttpClient Client(MonitoringHost host, string token)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
