using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PopInfo.Testing;

/// <summary>
/// The three-node RabbitMQ cluster of the tests (docs/broker.md): test.sh starts it (deploy/local/infra.sh
/// ensure_rabbitmq_cluster) and names its nodes in POPINFO_TEST_RABBITMQ_CLUSTER ("127.0.0.1:5681,…"); run alone, the
/// first test to need it starts it the same way. Node i is <c>rabbit-i@localhost</c>, its management API on port
/// 15680+i. Each test class makes a virtual host of its own. If the cluster cannot be started, the tests fail.
/// </summary>
public static class TestCluster
{
    /// <summary>The xunit collection of the tests on the cluster: one at a time, since one of them stops a node.</summary>
    public const string Collection = "RabbitMQ cluster";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Servers? servers;

    /// <summary>"host:port" of every node, as PopInfo:Bus:RabbitMqNodes takes them.</summary>
    public static string Nodes => Environment.GetEnvironmentVariable("POPINFO_TEST_RABBITMQ_CLUSTER") ?? "127.0.0.1:5681,127.0.0.1:5682,127.0.0.1:5683";

    public static IReadOnlyList<string> NodeNames => [.. Nodes.Split(',').Select((_, i) => $"rabbit-{i + 1}@localhost")];

    /// <summary>The management API of a node (rabbit-i@localhost: port 15680+i).</summary>
    public static Uri Management(string node) => new($"http://127.0.0.1:{15680 + int.Parse(node.Split('@')[0]["rabbit-".Length..], System.Globalization.CultureInfo.InvariantCulture)}/");

    /// <summary>The cluster's servers (PostgreSQL is the tests' usual one); AMQP and management on node 1.</summary>
    public static async Task<Servers> ServersAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (servers is null)
            {
                if (Environment.GetEnvironmentVariable("POPINFO_TEST_RABBITMQ_CLUSTER") is null)
                {
                    await StartAsync();
                }

                var first = Nodes.Split(',')[0];
                var user = Environment.GetEnvironmentVariable("POPINFO_RABBITMQ_USER") ?? "popinfo";
                var password = Environment.GetEnvironmentVariable("POPINFO_RABBITMQ_PASSWORD") ?? "popinfo";
                servers = new Servers(await TestInfrastructure.PostgresAsync(), new Uri($"amqp://{user}:{password}@{first}/"), Management(NodeNames[0]), "cluster");
            }

            return servers;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A management API client (as the administrator) on <paramref name="node"/>.</summary>
    public static async Task<HttpClient> ManagementClientAsync(string node)
    {
        var admin = (await ServersAsync()).RabbitMq.UserInfo;
        var http = new HttpClient { BaseAddress = Management(node) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(admin))));
        return http;
    }

    /// <summary>A queue as the management API of <paramref name="node"/> describes it (type, leader, arguments, messages).</summary>
    public static async Task<JsonObject> QueueAsync(string node, Uri virtualHost, string queue)
    {
        using var http = await ManagementClientAsync(node);
        var vhost = Uri.EscapeDataString(virtualHost.AbsolutePath.Trim('/'));
        // The management API may name a quorum queue's key twice while a member rejoins (seen in CI: "online" twice), which
        // a JsonObject refuses at its first look-up; read the answer as a document and keep each key's last value.
        using var answer = JsonDocument.Parse(await http.GetStringAsync($"api/queues/{vhost}/{Uri.EscapeDataString(queue)}"));
        var fields = new JsonObject();
        foreach (var property in answer.RootElement.EnumerateObject())
        {
            fields[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }

        return fields;
    }

    /// <summary>Starts the application on a node stopped with stop_app and waits until the cluster sees it running.</summary>
    public static async Task StartAppAsync(string node)
    {
        await LocalBroker.RabbitMqCtlAsync(node, "start_app");
        await LocalBroker.RabbitMqCtlAsync(node, "await_startup");
    }

    private static async Task StartAsync()
    {
        var script = Path.Combine(RepositoryRoot.Path, "deploy", "local", "infra.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, "cluster"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The RabbitMQ test cluster could not be started ({script} cluster): {await errors}");
        }
    }
}
