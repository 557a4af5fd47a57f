using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace PopInfo.Benchmarks.FaultCampaign;

/// <summary>One entitlement as the campaign asked for it, with the id the exchange gave it.</summary>
public sealed record Entitlement(string Id, IReadOnlyList<string> ChangeTypes, IReadOnlyList<string> Regions, IReadOnlyList<string> Fields);

/// <summary>How a department takes its events in the campaign: its queue, its webhook, or only the feed.</summary>
public enum Channel
{
    Queue,
    Webhook,
    Feed,
}

/// <summary>A department of the campaign: its entitlements, its credentials, and the copies it received.</summary>
public sealed class CampaignDepartment(string code, Channel channel, IReadOnlyList<string> inboundKinds)
{
    public string Code => code;

    public Channel Channel => channel;

    public IReadOnlyList<string> InboundKinds => inboundKinds;

    public List<Entitlement> Entitlements { get; } = [];

    public string ApiKey { get; set; } = "";

    public string WebhookSecret { get; set; } = "";

    public string BrokerUser { get; set; } = "";

    public string BrokerPassword { get; set; } = "";

    public string Queue { get; set; } = "";

    /// <summary>Bodies taken from its queue (repeats included), or accepted by its webhook.</summary>
    public ConcurrentQueue<string> Received { get; } = new();
}

/// <summary>
/// The campaign's departments, each with different entitlements and a different way in (docs/fault-campaign.md):
/// <c>q</c> consumes its queue (two subscriptions: a narrow view of every change, and phones of corrections),
/// <c>h</c> takes webhooks (new people and moves in one district, three fields), <c>f</c> reads only the feed
/// (corrections and moves in another district), <c>p</c> pushes records in and is entitled to nothing.
/// </summary>
public static class Departments
{
    public const string City = "320200";
    public const string Dongting = "320205";
    public const string Binhu = "320211";

    private static readonly string[] EveryChangeType =
        ["registered", "born", "died", "moved-within-city", "moved-out", "moved-in", "migrant-arrived", "migrant-departed", "corrected", "household-changed"];

    public static List<(CampaignDepartment Department, List<(string[] Types, string[] Regions, string[] Fields)> Subscriptions)> Plan(string prefix) =>
    [
        (new CampaignDepartment(prefix + "-q", Channel.Queue, []),
            [(EveryChangeType, [City], ["idNumber", "name", "status", "residenceRegionCode"]), (["corrected"], [City], ["phone"])]),
        (new CampaignDepartment(prefix + "-h", Channel.Webhook, []),
            [(["registered", "migrant-arrived", "moved-within-city"], [Binhu], ["sex", "birthDate", "residenceRegionCode"])]),
        (new CampaignDepartment(prefix + "-f", Channel.Feed, []),
            [(["corrected", "moved-within-city"], [Dongting], ["phone", "residenceAddress"])]),
        (new CampaignDepartment(prefix + "-p", Channel.Feed, ["move-within-city", "correction"]), []),
    ];

    /// <summary>Creates the department and its subscriptions at the exchange (administrator key); keeps its credentials.</summary>
    public static async Task CreateAsync(HttpClient admin, CampaignDepartment department, IEnumerable<(string[] Types, string[] Regions, string[] Fields)> subscriptions, Uri? webhook)
    {
        using var created = await admin.PostAsJsonAsync("/api/v1/departments", new
        {
            code = department.Code,
            name = $"故障演练 {department.Code}",
            contact = "campaign@popinfo.example",
            webhookUrl = webhook?.ToString(),
            inboundKinds = department.InboundKinds,
        });
        var text = await created.Content.ReadAsStringAsync();
        if (!created.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating department {department.Code}: HTTP {(int)created.StatusCode} {text}");
        }

        var credentials = JsonNode.Parse(text)!["credentials"]!;
        department.ApiKey = (string)credentials["apiKey"]!;
        department.WebhookSecret = (string?)credentials["webhookSecret"] ?? "";
        if (credentials["amqp"] is { } amqp)
        {
            department.BrokerUser = (string)amqp["user"]!;
            department.BrokerPassword = (string)amqp["password"]!;
            department.Queue = (string)amqp["queue"]!;
        }

        foreach (var (types, regions, fields) in subscriptions)
        {
            using var subscribed = await admin.PostAsJsonAsync($"/api/v1/departments/{department.Code}/subscriptions", new
            {
                changeTypes = types,
                regions,
                fields,
                purpose = "Fault campaign: what this department is entitled to.",
            });
            var answer = await subscribed.Content.ReadAsStringAsync();
            if (!subscribed.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Subscribing {department.Code}: HTTP {(int)subscribed.StatusCode} {answer}");
            }

            department.Entitlements.Add(new Entitlement((string)JsonNode.Parse(answer)!["id"]!, types, regions, fields));
        }
    }

    /// <summary>The whole feed of a department, read page by page from the first instance that answers.</summary>
    public static async Task<List<string>> ReadFeedAsync(IReadOnlyList<Uri> exchanges, CampaignDepartment department)
    {
        var events = new List<string>();
        long after = 0;
        var attempt = 0;
        while (true)
        {
            var exchange = exchanges[attempt % exchanges.Count];
            using var http = new HttpClient { BaseAddress = exchange, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", department.ApiKey);
            JsonNode page;
            try
            {
                using var response = await http.GetAsync($"/api/v1/feed?after={after}&limit=1000");
                response.EnsureSuccessStatusCode();
                page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && attempt < 50)
            {
                attempt++;
                await Task.Delay(200);
                continue;
            }

            var batch = page["events"]!.AsArray();
            if (batch.Count == 0)
            {
                return events;
            }

            events.AddRange(batch.Select(e => e!.ToJsonString()));
            after = (long)page["next"]!;
        }
    }

    /// <summary>Broker users are global, not per virtual host: removes the ones this campaign's departments got.</summary>
    public static async Task DeleteBrokerUsersAsync(HttpClient management, IEnumerable<CampaignDepartment> departments)
    {
        foreach (var department in departments.Where(d => d.BrokerUser.Length > 0))
        {
            using var response = await management.DeleteAsync($"api/users/{Uri.EscapeDataString(department.BrokerUser)}");
        }
    }
}

/// <summary>
/// A department's consumer of its own queue with its own broker user: manual acknowledgement after the body is kept,
/// prefetch 50, reconnecting when the broker (or its node) goes away. <see cref="StopAsync"/> takes it offline (the fault).
/// </summary>
public sealed class QueueConsumer(Uri vhost, string? brokerNodes, CampaignDepartment department) : IAsyncDisposable
{
    private CancellationTokenSource? running;
    private Task loop = Task.CompletedTask;

    public int Reconnects { get; private set; }

    public void Start()
    {
        running = new CancellationTokenSource();
        var token = running.Token;
        loop = Task.Run(() => RunAsync(token));
    }

    public async Task StopAsync()
    {
        if (running is null)
        {
            return;
        }

        await running.CancelAsync();
        await loop;
        running.Dispose();
        running = null;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var factory = new ConnectionFactory
        {
            Uri = vhost,
            UserName = department.BrokerUser,
            Password = department.BrokerPassword,
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = $"campaign-consumer-{department.Code}",
        };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                // On a cluster, the first node that answers (as a department's client given every node would).
                await using var connection = await factory.CreateConnectionAsync(
                    [.. BrokerNodes.Of(new BusOptions { RabbitMqUri = vhost, RabbitMqNodes = brokerNodes })], stop);
                await using var channel = await connection.CreateChannelAsync(cancellationToken: stop);
                await channel.BasicQosAsync(0, 50, false, stop);
                var closed = new TaskCompletionSource();
                connection.ConnectionShutdownAsync += (_, _) =>
                {
                    closed.TrySetResult();
                    return Task.CompletedTask;
                };
                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += async (_, delivery) =>
                {
                    department.Received.Enqueue(Encoding.UTF8.GetString(delivery.Body.Span));
                    await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                };
                await channel.BasicConsumeAsync(department.Queue, autoAck: false, consumer, stop);
                await closed.Task.WaitAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // The broker is away (the fault): connect again shortly.
            }

            Reconnects++;
            try
            {
                await Task.Delay(500, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
