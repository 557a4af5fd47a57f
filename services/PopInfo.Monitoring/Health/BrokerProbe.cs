using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace PopInfo.Monitoring.Health;

/// <summary>
/// RabbitMQ as its management API tells it (<c>/api/overview</c>, <c>/api/nodes</c>, <c>/api/queues</c>), asked with a user of
/// the <c>monitoring</c> tag: version, nodes and their memory and disk alarms, every queue's depth, consumers and rates.
/// </summary>
public sealed class BrokerProbe(IHttpClientFactory clients, IOptions<MonitoringOptions> options)
{
    public const string ClientName = "monitoring-broker";

    public async Task<BrokerHealth?> ProbeAsync(CancellationToken ct)
    {
        var settings = options.Value;
        if (settings.BrokerManagementUrl is null)
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.ProbeTimeout);
        var http = clients.CreateClient(ClientName);
        http.BaseAddress = settings.BrokerManagementUrl;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.BrokerUser}:{settings.BrokerPassword}")));
        try
        {
            using var overview = await GetAsync(http, "api/overview", timeout.Token);
            using var nodes = await GetAsync(http, "api/nodes", timeout.Token);
            using var queues = await GetAsync(http, "api/queues", timeout.Token);
            var nodeStates = nodes.RootElement.EnumerateArray().Select(n => new BrokerNode(
                Text(n, "name") ?? "", Flag(n, "running"), Flag(n, "mem_alarm"), Flag(n, "disk_free_alarm"))).ToList();
            var alarms = nodeStates.SelectMany(n => (n.MemoryAlarm ? [$"{n.Name}: memory"] : Array.Empty<string>())
                .Concat(n.DiskAlarm ? [$"{n.Name}: disk"] : []).Concat(n.Running ? [] : [$"{n.Name}: not running"])).ToList();
            var queueStates = queues.RootElement.EnumerateArray().Select(q => new QueueState(
                Text(q, "vhost") ?? "", Text(q, "name") ?? "", Whole(q, "messages"), Whole(q, "messages_ready"), Whole(q, "messages_unacknowledged"),
                (int)Whole(q, "consumers"), Rate(q, "publish_details"), Rate(q, "deliver_get_details"))).ToList();
            var totals = new QueueTotals(queueStates.Count, queueStates.Sum(q => q.Messages), queueStates.Sum(q => q.Ready),
                queueStates.Sum(q => q.Unacknowledged), queueStates.Sum(q => q.Consumers),
                Rate(overview.RootElement, "publish_details"), Rate(overview.RootElement, "deliver_get_details"));
            var deepest = queueStates.OrderByDescending(q => q.Messages).ThenBy(q => q.Name, StringComparer.Ordinal).Take(settings.DeepestQueues).ToList();
            return new BrokerHealth(true, Text(overview.RootElement, "rabbitmq_version"), nodeStates, alarms, totals, deepest, null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            var problem = e is OperationCanceledException && !ct.IsCancellationRequested ? "timeout" : e.GetType().Name;
            return new BrokerHealth(false, null, [], [], new QueueTotals(0, 0, 0, 0, 0, 0, 0), [], problem);
        }
    }

    private static async Task<JsonDocument> GetAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var answer = await http.GetAsync(path, ct);
        answer.EnsureSuccessStatusCode();
        return await JsonDocument.ParseAsync(await answer.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static long Whole(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    // A rate under message_stats (absent until something flowed).
    private static double Rate(JsonElement e, string details) =>
        e.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty(details, out var d) && d.TryGetProperty("rate", out var rate)
            && rate.ValueKind == JsonValueKind.Number ? rate.GetDouble() : 0;
}
