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

    [Fact]
    public async Task Operators_see_the_database_server_by_a_role_that_may_only_monitor()
    {
        // A role of pg_monitor only, connecting to the maintenance database "postgres" (the platform's databases do not let
        // PUBLIC connect): it reads the statistics views and sizes, no table of any service.
        var admin = await TestInfrastructure.PostgresAsync();
        var role = "popinfo_monitor_" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = new Npgsql.NpgsqlConnection(admin);
        await connection.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, $"CREATE ROLE {role} LOGIN PASSWORD 'watch-it' IN ROLE pg_monitor");
        try
        {
            var monitorRole = new Npgsql.NpgsqlConnectionStringBuilder(admin) { Username = role, Password = "watch-it", Database = "postgres", Pooling = false }.ConnectionString;
            var (version, maxConnections, database) = (await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SHOW server_version"),
                await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SHOW max_connections"), connection.Database);
            var health = await HealthAsync(monitorRole);
            var db = health["database"]!;
            Assert.True((bool)db["answered"]!, (string?)db["problem"]);
            Assert.Equal((version, int.Parse(maxConnections!, System.Globalization.CultureInfo.InvariantCulture)), ((string?)db["version"], (int)db["maxConnections"]!));
            Assert.Contains(db["databases"]!.AsArray(), d => (string?)d!["name"] == database && (long)d["bytes"]! > 0);
            Assert.True(db["connections"]!.AsObject().Sum(c => (long)c.Value!) >= 1);
            // The replicas are the server's physical replication slots (test.sh starts one: docs/database-replica.md), each with
            // its bytes behind; none when nothing replicates this server.
            var slots = (await Dapper.SqlMapper.QueryAsync<string>(connection, "SELECT slot_name FROM pg_replication_slots WHERE slot_type = 'physical' ORDER BY 1")).ToList();
            var replicas = db["replicas"]!.AsArray();
            Assert.Equal(slots, replicas.Select(r => (string)r!["name"]!).Order(StringComparer.Ordinal).ToList());
            Assert.All(replicas, r => Assert.True((long)r!["bytesBehind"]! >= 0));

            // A wrong password: not answered, said by kind and SQL state only.
            var wrong = await HealthAsync(new Npgsql.NpgsqlConnectionStringBuilder(monitorRole) { Password = "wrong" }.ConnectionString);
            Assert.Equal((false, "PostgresException 28P01"), ((bool)wrong["database"]!["answered"]!, (string?)wrong["database"]!["problem"]));
            Assert.False((bool)wrong["allWell"]!);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await Dapper.SqlMapper.ExecuteAsync(connection, $"DROP ROLE {role}");
        }
    }

    // The health as an operator sees it, with no service watched but a closed port, and the database as given.
    private static async Task<JsonNode> HealthAsync(string databaseConnectionString)
    {
        await using var monitoring = new MonitoringHost(new Dictionary<string, string?>
        {
            ["PopInfo:Monitoring:Services:none"] = $"http://127.0.0.1:{ClosedPort()}/",
            ["PopInfo:Monitoring:DatabaseConnectionString"] = databaseConnectionString,
        }, new Dictionary<string, Func<HttpMessageHandler>>());
        using var operatorClient = Client(monitoring, TestIssuer.Shared.Token([], "popinfo-monitor-page", "operator.1", PlatformRoles.Operator,
            audiences: [PlatformScopes.Audience("monitoring")]));
        return JsonNode.Parse(await operatorClient.GetStringAsync("/api/v1/health"))!;
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
