using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PopInfo.Domain.Exchange;
using PopInfo.Exchange.Delivery;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PopInfo.Exchange.Brokers;

/// <summary>How deep a department's queue is, as the broker reports it.</summary>
public sealed record QueueDepth(long Ready, long Unacknowledged, int Consumers)
{
    public long InQueue => Ready + Unacknowledged;
}

/// <summary>
/// Departments' accounts on the platform's RabbitMQ, kept through the management HTTP API: one user per
/// department that may read only its own queue <c>popinfo.dept.{code}</c> and its parking queue
/// <c>popinfo.dept.{code}.inbound.parked</c>, and write only to its own inbound exchange
/// <c>popinfo.dept.{code}.inbound</c> (bound to the exchange's inbound queue). Null object when the
/// platform runs on the in-memory bus (embedded mode): departments then use webhooks and the feed.
/// </summary>
public interface IBrokerAccounts
{
    bool Enabled { get; }

    /// <summary>Creates (or repairs) the user, its permissions, its queue, its parking queue and its inbound exchange. Idempotent.</summary>
    Task ProvisionAsync(string code, string password, CancellationToken ct);

    Task SetPasswordAsync(string code, string password, CancellationToken ct);

    /// <summary>Grants (active) or withdraws (suspended) the user's permissions; its queue keeps filling.</summary>
    Task SetAccessAsync(string code, bool granted, CancellationToken ct);

    /// <summary>Removes the user (a creation that failed after provisioning).</summary>
    Task DeleteUserAsync(string code, CancellationToken ct);

    Task<QueueDepth?> QueueDepthAsync(string code, CancellationToken ct);
}

public sealed class NoBrokerAccounts : IBrokerAccounts
{
    public bool Enabled => false;

    public Task ProvisionAsync(string code, string password, CancellationToken ct) => Task.CompletedTask;

    public Task SetPasswordAsync(string code, string password, CancellationToken ct) => Task.CompletedTask;

    public Task SetAccessAsync(string code, bool granted, CancellationToken ct) => Task.CompletedTask;

    public Task DeleteUserAsync(string code, CancellationToken ct) => Task.CompletedTask;

    public Task<QueueDepth?> QueueDepthAsync(string code, CancellationToken ct) => Task.FromResult<QueueDepth?>(null);
}

public sealed class RabbitMqManagementAccounts(HttpClient http, string virtualHost, BrokerConnection broker) : IBrokerAccounts
{
    /// <summary>The queue every department's inbound exchange is bound to; the exchange service consumes it.</summary>
    public const string InboundQueue = "popinfo.exchange.inbound";

    private readonly string vhost = Uri.EscapeDataString(virtualHost);

    public bool Enabled => true;

    public static HttpClient Configure(HttpClient http, Uri managementUrl, string user, string password)
    {
        http.BaseAddress = managementUrl;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return http;
    }

    public async Task ProvisionAsync(string code, string password, CancellationToken ct)
    {
        await PutAsync($"api/users/{Escape(DepartmentTopology.BrokerUser(code))}", new JsonObject { ["password"] = password, ["tags"] = "" }, ct);
        await SetAccessAsync(code, granted: true, ct);
        await PutAsync($"api/queues/{vhost}/{Escape(DepartmentTopology.Queue(code))}", new JsonObject { ["durable"] = true, ["auto_delete"] = false }, ct);
        await PutAsync($"api/queues/{vhost}/{Escape(DepartmentTopology.ParkingQueue(code))}", new JsonObject { ["durable"] = true, ["auto_delete"] = false }, ct);
        await PutAsync($"api/queues/{vhost}/{Escape(InboundQueue)}", new JsonObject { ["durable"] = true, ["auto_delete"] = false }, ct);
        await PutAsync($"api/exchanges/{vhost}/{Escape(DepartmentTopology.InboundExchange(code))}", new JsonObject { ["type"] = "fanout", ["durable"] = true }, ct);
        using var bind = await http.PostAsJsonAsync(
            $"api/bindings/{vhost}/e/{Escape(DepartmentTopology.InboundExchange(code))}/q/{Escape(InboundQueue)}", new JsonObject { ["routing_key"] = "" }, ct);
        await EnsureAsync(bind, "bind the inbound exchange");
    }

    public Task SetPasswordAsync(string code, string password, CancellationToken ct) =>
        PutAsync($"api/users/{Escape(DepartmentTopology.BrokerUser(code))}", new JsonObject { ["password"] = password, ["tags"] = "" }, ct);

    public async Task SetAccessAsync(string code, bool granted, CancellationToken ct)
    {
        var path = $"api/permissions/{vhost}/{Escape(DepartmentTopology.BrokerUser(code))}";
        if (!granted)
        {
            using var deleted = await http.DeleteAsync(path, ct);
            if (deleted.StatusCode != HttpStatusCode.NotFound)
            {
                await EnsureAsync(deleted, "withdraw permissions");
            }

            // Close the department's open connections too: permissions are checked when a channel opens.
            await CloseConnectionsAsync(code, ct);
            return;
        }

        await PutAsync(path, new JsonObject
        {
            ["configure"] = DepartmentTopology.ConfigurePermission,
            ["write"] = DepartmentTopology.WritePermission(code),
            ["read"] = DepartmentTopology.ReadPermission(code),
        }, ct);
    }

    public async Task DeleteUserAsync(string code, CancellationToken ct)
    {
        using var response = await http.DeleteAsync($"api/users/{Escape(DepartmentTopology.BrokerUser(code))}", ct);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureAsync(response, "delete the user");
        }
    }

    /// <summary>
    /// Ready messages and consumers from the queue itself (a passive declare over AMQP: exact, now); messages
    /// delivered but not yet acknowledged from the management API, whose statistics lag by its collection
    /// interval (5 s by default) — so a message just taken may count as acknowledged a few seconds early.
    /// </summary>
    public async Task<QueueDepth?> QueueDepthAsync(string code, CancellationToken ct)
    {
        var queue = DepartmentTopology.Queue(code);
        QueueDeclareOk declared;
        var connection = await broker.GetAsync(ct);
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: ct))
        {
            try
            {
                declared = await channel.QueueDeclarePassiveAsync(queue, ct);
            }
            catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
            {
                return null;
            }
        }

        long unacknowledged = 0;
        using var response = await http.GetAsync($"api/queues/{vhost}/{Escape(queue)}", ct);
        if (response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<JsonNode>(ct) is JsonObject body)
        {
            unacknowledged = (long?)body["messages_unacknowledged"] ?? 0;
        }

        return new QueueDepth(declared.MessageCount, unacknowledged, (int)declared.ConsumerCount);
    }

    private async Task CloseConnectionsAsync(string code, CancellationToken ct)
    {
        var user = DepartmentTopology.BrokerUser(code);
        var connections = await http.GetFromJsonAsync<JsonArray>($"api/connections?columns=name,user", ct) ?? [];
        foreach (var connection in connections.OfType<JsonObject>().Where(c => (string?)c["user"] == user))
        {
            using var closed = await http.DeleteAsync($"api/connections/{Escape((string)connection["name"]!)}", ct);
        }
    }

    private async Task PutAsync(string path, JsonObject body, CancellationToken ct)
    {
        using var response = await http.PutAsJsonAsync(path, body, ct);
        await EnsureAsync(response, path.Split('/')[1]);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync();
            throw new BrokerUnavailableException($"RabbitMQ management API refused to {what}: {(int)response.StatusCode} {text}");
        }
    }

    private static string Escape(string name) => Uri.EscapeDataString(name);
}

/// <summary>The broker's management API could not do what was asked; nothing was stored.</summary>
public sealed class BrokerUnavailableException(string message) : Exception(message);
