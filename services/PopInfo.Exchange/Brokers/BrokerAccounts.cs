using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PopInfo.Domain.Exchange;
using PopInfo.Exchange.Delivery;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Messaging;
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

    /// <summary>
    /// Moves the departments' classic queues (their own, their parking queues, the inbound queue) into quorum queues of
    /// the same names, keeping every message (<see cref="QuorumQueueMigration"/>); returns how many messages moved.
    /// </summary>
    Task<int> MigrateToQuorumAsync(IReadOnlyList<string> codes, CancellationToken ct);
}

public sealed class NoBrokerAccounts : IBrokerAccounts
{
    public bool Enabled => false;

    public Task ProvisionAsync(string code, string password, CancellationToken ct) => Task.CompletedTask;

    public Task SetPasswordAsync(string code, string password, CancellationToken ct) => Task.CompletedTask;

    public Task SetAccessAsync(string code, bool granted, CancellationToken ct) => Task.CompletedTask;

    public Task DeleteUserAsync(string code, CancellationToken ct) => Task.CompletedTask;

    public Task<QueueDepth?> QueueDepthAsync(string code, CancellationToken ct) => Task.FromResult<QueueDepth?>(null);

    public Task<int> MigrateToQuorumAsync(IReadOnlyList<string> codes, CancellationToken ct) => Task.FromResult(0);
}

public sealed class RabbitMqManagementAccounts(
    HttpClient http, string virtualHost, BrokerConnection broker, DepartmentQueues queues, BusOptions bus, (string User, string Password) provisioning) : IBrokerAccounts
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
        // The dead-letter exchange and queue first: a queue's dead letters are dropped while its target is missing.
        await PutAsync($"api/exchanges/{vhost}/{Escape(DepartmentQueues.DeadLetterExchange)}", new JsonObject { ["type"] = "fanout", ["durable"] = true }, ct);
        await PutQueueAsync(DepartmentQueues.DeadLetterExchange, QuorumQueues.DeadLetterQueueArguments(), ct);
        using (var deadLetters = await http.PostAsJsonAsync(
            $"api/bindings/{vhost}/e/{Escape(DepartmentQueues.DeadLetterExchange)}/q/{Escape(DepartmentQueues.DeadLetterExchange)}", new JsonObject { ["routing_key"] = "" }, ct))
        {
            await EnsureAsync(deadLetters, "bind the dead-letter queue");
        }

        // A classic queue of an older version refuses the quorum declaration: moved over first.
        await MigrateToQuorumAsync([code], ct);
        foreach (var (queue, arguments) in queues.Of(code))
        {
            await PutQueueAsync(queue, arguments, ct);
        }

        await PutQueueAsync(InboundQueue, queues.Inbound(), ct);
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

    public async Task<int> MigrateToQuorumAsync(IReadOnlyList<string> codes, CancellationToken ct)
    {
        // As the provisioning credential: the exchange's own user may not read departments' queues nor bind to their exchanges.
        await using var connection = await BrokerNodes.ConnectAsync(bus, "popinfo-exchange-quorum-migration", ct, provisioning.User, provisioning.Password);
        var moved = 0;
        foreach (var code in codes)
        {
            foreach (var (queue, arguments) in queues.Of(code))
            {
                moved += await QuorumQueueMigration.MigrateAsync(connection, queue, arguments, sources: [], ct);
            }
        }

        // The inbound queue is fed by every department's inbound exchange.
        using var response = await http.GetAsync($"api/queues/{vhost}/{Escape(InboundQueue)}/bindings", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return moved;
        }

        await EnsureAsync(response, "list the inbound queue's bindings");
        var bindings = await response.Content.ReadFromJsonAsync<JsonArray>(ct) ?? [];
        var sources = bindings.OfType<JsonObject>().Select(b => (string?)b["source"]).Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();
        moved += await QuorumQueueMigration.MigrateAsync(connection, InboundQueue, queues.Inbound(), sources, ct);
        return moved;
    }

    private Task PutQueueAsync(string queue, Dictionary<string, object?> arguments, CancellationToken ct)
    {
        var json = new JsonObject();
        foreach (var (key, value) in arguments)
        {
            json[key] = value switch
            {
                int number => JsonValue.Create(number),
                long number => JsonValue.Create(number),
                _ => JsonValue.Create(value?.ToString()),
            };
        }

        return PutAsync($"api/queues/{vhost}/{Escape(queue)}", new JsonObject { ["durable"] = true, ["auto_delete"] = false, ["arguments"] = json }, ct);
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
