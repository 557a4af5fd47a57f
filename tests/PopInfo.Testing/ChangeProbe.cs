using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace PopInfo.Testing;

/// <summary>
/// A consumer that is not MassTransit: plain RabbitMQ.Client binds its own durable queue to the
/// fanout exchange <c>popinfo.person-changed</c> and keeps every message it gets, repeats included —
/// what any AMQP client of the platform would do.
/// </summary>
public sealed class ChangeProbe : IAsyncDisposable
{
    public const string Exchange = "popinfo.person-changed";

    private readonly IConnection connection;
    private readonly IChannel channel;
    private readonly string queue;

    private ChangeProbe(IConnection connection, IChannel channel, string queue)
    {
        this.connection = connection;
        this.channel = channel;
        this.queue = queue;
    }

    /// <summary>Every delivery: the envelope's message id, the event's sequence, and the whole envelope.</summary>
    public ConcurrentQueue<(Guid MessageId, long Sequence, JsonObject Envelope, IReadOnlyBasicProperties Properties)> Received { get; } = new();

    public static async Task<ChangeProbe> StartAsync(Uri broker)
    {
        var factory = new ConnectionFactory { Uri = broker, AutomaticRecoveryEnabled = true, NetworkRecoveryInterval = TimeSpan.FromSeconds(1) };
        var connection = await factory.CreateConnectionAsync("popinfo-test-probe");
        var channel = await connection.CreateChannelAsync();
        // Declared as MassTransit declares it (durable fanout), so whoever comes first the two agree.
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = "popinfo-test-probe-" + Guid.NewGuid().ToString("N")[..8];
        // Durable, so it outlives a broker restart inside a test; expiring after ten minutes unused, so one left behind (its
        // test stopped the broker and could not delete it) does not gather every later test's events for ever.
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-expires"] = (int)TimeSpan.FromMinutes(10).TotalMilliseconds });
        await channel.QueueBindAsync(queue, Exchange, routingKey: "");

        var probe = new ChangeProbe(connection, channel, queue);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var envelope = JsonNode.Parse(Encoding.UTF8.GetString(delivery.Body.Span))!.AsObject();
            var messageId = Guid.Parse((string)envelope["messageId"]!);
            var sequence = (long)envelope["message"]!["sequence"]!;
            probe.Received.Enqueue((messageId, sequence, envelope, delivery.BasicProperties));
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
        return probe;
    }

    /// <summary>
    /// Waits (polling, with a deadline) until every one of the given events has arrived at least once,
    /// and returns those that did. Events are told apart by id: other tests' registries publish to the
    /// same exchange, with sequence numbers of their own databases.
    /// </summary>
    public async Task<IReadOnlySet<Guid>> WaitForEventsAsync(IReadOnlyCollection<Guid> eventIds, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var seen = Received.Select(r => r.MessageId).Where(eventIds.Contains).ToHashSet();
            if (seen.Count == eventIds.Count || DateTime.UtcNow > until)
            {
                return seen;
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await channel.QueueDeleteAsync(queue);
        }
        catch (Exception)
        {
            // The broker may be down in a failing test; the queue name is unique and the broker drops it after ten minutes unused.
        }

        await channel.DisposeAsync();
        await connection.DisposeAsync();
    }
}
