using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace PopInfo.Benchmarks;

/// <summary>
/// A plain RabbitMQ.Client consumer (not MassTransit), as any AMQP subscriber of the platform: its own
/// durable queue bound to a fanout exchange, manual acknowledgements, prefetch 256. It notes when the
/// first delivery of each key arrived (Stopwatch ticks, taken before anything else is done with it). Not the tests'
/// <c>DepartmentQueue</c>, which takes a known number of messages once (basic.get) to look at them: this one consumes
/// for a whole run, as fast as they come, and keeps only the times.
/// </summary>
public sealed class DeliveryRecorder : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly IChannel channel;
    private readonly string queue;
    private readonly Func<BasicDeliverEventArgs, Guid?> keyOf;
    private readonly ConcurrentDictionary<Guid, long> first = new();
    private long deliveries;
    private long repeats;
    private long unknown;

    private DeliveryRecorder(IConnection connection, IChannel channel, string queue, Func<BasicDeliverEventArgs, Guid?> keyOf)
    {
        this.connection = connection;
        this.channel = channel;
        this.queue = queue;
        this.keyOf = keyOf;
    }

    public string Queue => queue;

    public long Deliveries => Interlocked.Read(ref deliveries);

    public long Repeats => Interlocked.Read(ref repeats);

    public long Unknown => Interlocked.Read(ref unknown);

    /// <summary>
    /// The type of every recorder queue in this process: "classic" (the default) or "quorum" (<c>--recorder-queue quorum</c>,
    /// for runs on the three-node cluster, where the platform's own queues are quorum queues: the registry's events and the
    /// raw baseline's messages then both end in a replicated queue).
    /// </summary>
    public static string QueueType { get; set; } = "classic";

    /// <summary>The body of the last delivery (a real message, used as the baseline's payload).</summary>
    public byte[]? LastBody { get; private set; }

    public static async Task<DeliveryRecorder> StartAsync(Uri broker, string exchange, Func<BasicDeliverEventArgs, Guid?> keyOf)
    {
        var factory = new ConnectionFactory { Uri = broker, AutomaticRecoveryEnabled = true, NetworkRecoveryInterval = TimeSpan.FromSeconds(1) };
        var connection = await factory.CreateConnectionAsync("popinfo-bench-recorder");
        var channel = await connection.CreateChannelAsync();
        // Declared as MassTransit declares it (durable fanout), so whoever comes first the two agree.
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = "popinfo-bench-recorder-" + Guid.NewGuid().ToString("N")[..8];
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: QueueType == "classic" ? null : new Dictionary<string, object?> { ["x-queue-type"] = QueueType });
        await channel.QueueBindAsync(queue, exchange, routingKey: "");
        await channel.BasicQosAsync(0, 256, global: false);

        var recorder = new DeliveryRecorder(connection, channel, queue, keyOf);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += recorder.OnReceivedAsync;
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
        return recorder;
    }

    /// <summary>The key of a registry event: the command id inside the MassTransit envelope (<c>message.commandId</c>).</summary>
    public static Guid? CommandIdOfEnvelope(BasicDeliverEventArgs delivery)
    {
        using var document = JsonDocument.Parse(delivery.Body);
        return document.RootElement.TryGetProperty("message", out var message)
            && message.TryGetProperty("commandId", out var id) && id.TryGetGuid(out var guid) ? guid : null;
    }

    /// <summary>The key of a baseline message: its AMQP message id.</summary>
    public static Guid? MessageIdOf(BasicDeliverEventArgs delivery) =>
        Guid.TryParse(delivery.BasicProperties.MessageId, out var id) ? id : null;

    public bool TryGet(Guid key, out long receivedAt) => first.TryGetValue(key, out receivedAt);

    /// <summary>Waits (polling) until every key has arrived or the deadline passes; returns how many arrived.</summary>
    public async Task<int> WaitForAsync(IReadOnlyCollection<Guid> keys, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var arrived = keys.Count(first.ContainsKey);
            if (arrived == keys.Count || DateTime.UtcNow > until)
            {
                return arrived;
            }

            await Task.Delay(50);
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
            // The broker may be away; the virtual host is deleted at the end anyway.
        }

        await channel.DisposeAsync();
        await connection.DisposeAsync();
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        var at = Latencies.Now;
        Interlocked.Increment(ref deliveries);
        Guid? key;
        try
        {
            key = keyOf(delivery);
        }
        catch (JsonException)
        {
            key = null;
        }

        if (key is null)
        {
            Interlocked.Increment(ref unknown);
        }
        else if (!first.TryAdd(key.Value, at))
        {
            Interlocked.Increment(ref repeats);
        }

        if (Deliveries % 1000 == 1)
        {
            LastBody = delivery.Body.ToArray();
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
    }
}
