using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;

namespace PopInfo.Testing;

/// <summary>One message read from a department's queue: the body exactly as received and its AMQP properties (string headers as text).</summary>
public sealed record QueuedEvent(string Body, string? ContentType, string? MessageId, string? Type, bool Persistent, IReadOnlyDictionary<string, string>? Headers = null)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}

/// <summary>Reads a department's queue as the department does: with its own broker user and password.</summary>
public static class DepartmentQueue
{
    /// <summary>The virtual host's URI with the department's credentials instead of the platform's.</summary>
    public static Uri As(Uri virtualHost, string user, string password) =>
        new UriBuilder(virtualHost) { UserName = Uri.EscapeDataString(user), Password = Uri.EscapeDataString(password) }.Uri;

    /// <summary>Takes (basic.get + ack) up to <paramref name="count"/> messages, waiting up to <paramref name="within"/> for them.</summary>
    public static async Task<IReadOnlyList<QueuedEvent>> TakeAsync(Uri departmentUri, string queue, int count, TimeSpan within)
    {
        var factory = new ConnectionFactory { Uri = departmentUri, AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var taken = new List<QueuedEvent>();
        var deadline = DateTime.UtcNow + within;
        while (taken.Count < count && DateTime.UtcNow < deadline)
        {
            var message = await channel.BasicGetAsync(queue, autoAck: false);
            if (message is null)
            {
                await Task.Delay(50);
                continue;
            }

            taken.Add(new QueuedEvent(Encoding.UTF8.GetString(message.Body.Span), message.BasicProperties.ContentType, message.BasicProperties.MessageId,
                message.BasicProperties.Type, message.BasicProperties.Persistent, TextHeaders(message.BasicProperties.Headers)));
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
        }

        return taken;
    }

    // RabbitMQ.Client hands string headers over as UTF-8 bytes.
    private static Dictionary<string, string> TextHeaders(IDictionary<string, object?>? headers) =>
        (headers ?? new Dictionary<string, object?>()).Where(h => h.Value is byte[] or string)
            .ToDictionary(h => h.Key, h => h.Value as string ?? Encoding.UTF8.GetString((byte[])h.Value!), StringComparer.Ordinal);
}
