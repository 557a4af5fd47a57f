using System.Collections.Concurrent;
using System.Globalization;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace PopInfo.Benchmarks;

/// <summary>
/// Consumers of several queues at once, as the departments would run them: one plain RabbitMQ.Client
/// consumer per queue, each on its own connection (with the department's own credentials when given),
/// manual acknowledgement of every message, a fixed prefetch. It notes, per key and per queue, when the
/// first copy arrived (Stopwatch ticks, taken before anything else is done with the delivery).
/// </summary>
public sealed class FanOutRecorder : IAsyncDisposable
{
    private readonly List<(IConnection Connection, IChannel Channel)> consumers = [];
    private readonly ConcurrentDictionary<long, long[]> arrivals = new();
    private readonly Func<BasicDeliverEventArgs, long?> keyOf;
    private long deliveries;
    private long repeats;
    private long unknown;

    private FanOutRecorder(int queues, Func<BasicDeliverEventArgs, long?> keyOf)
    {
        Queues = queues;
        this.keyOf = keyOf;
    }

    public int Queues { get; }

    public long Deliveries => Interlocked.Read(ref deliveries);

    public long Repeats => Interlocked.Read(ref repeats);

    public long Unknown => Interlocked.Read(ref unknown);

    public static async Task<FanOutRecorder> StartAsync(IReadOnlyList<(string Queue, ConnectionFactory Factory)> queues, ushort prefetch, Func<BasicDeliverEventArgs, long?> keyOf)
    {
        var recorder = new FanOutRecorder(queues.Count, keyOf);
        for (var i = 0; i < queues.Count; i++)
        {
            var index = i;
            var connection = await queues[i].Factory.CreateConnectionAsync($"popinfo-bench-consumer-{i}");
            var channel = await connection.CreateChannelAsync();
            await channel.BasicQosAsync(0, prefetch, global: false);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) => recorder.OnReceivedAsync(channel, index, delivery);
            await channel.BasicConsumeAsync(queues[i].Queue, autoAck: false, consumer);
            recorder.consumers.Add((connection, channel));
        }

        return recorder;
    }

    /// <summary>The first arrival per queue (0: not arrived there) of a key.</summary>
    public bool TryGet(long key, out long[] at) => arrivals.TryGetValue(key, out at!);

    /// <summary>Polls until every key has arrived in every queue or the deadline passes; returns how many did.</summary>
    public async Task<int> WaitForAllAsync(IReadOnlyCollection<long> keys, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var complete = keys.Count(k => arrivals.TryGetValue(k, out var at) && Array.TrueForAll(at, t => t != 0));
            if (complete == keys.Count || DateTime.UtcNow > until)
            {
                return complete;
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (connection, channel) in consumers)
        {
            try
            {
                await channel.CloseAsync();
                await connection.CloseAsync();
            }
            catch (Exception)
            {
                // The broker or vhost may be gone already.
            }

            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private async Task OnReceivedAsync(IChannel channel, int index, BasicDeliverEventArgs delivery)
    {
        var at = Latencies.Now;
        Interlocked.Increment(ref deliveries);
        var key = keyOf(delivery);
        if (key is null)
        {
            Interlocked.Increment(ref unknown);
        }
        else
        {
            // Each slot is written only by its own queue's consumer (one dispatcher per channel).
            var slots = arrivals.GetOrAdd(key.Value, _ => new long[Queues]);
            if (slots[index] == 0)
            {
                slots[index] = at;
            }
            else
            {
                Interlocked.Increment(ref repeats);
            }
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
    }

    /// <summary>The register's change number inside an exchange CloudEvent (<c>"registrysequence":1187</c>), read without parsing the document.</summary>
    public static long? RegistrySequenceOf(BasicDeliverEventArgs delivery)
    {
        var body = delivery.Body.Span;
        var at = body.IndexOf("\"registrysequence\":"u8);
        if (at < 0)
        {
            return null;
        }

        at += "\"registrysequence\":".Length;
        long value = 0;
        var digits = 0;
        while (at < body.Length && body[at] is >= (byte)'0' and <= (byte)'9')
        {
            value = value * 10 + (body[at] - '0');
            at++;
            digits++;
        }

        return digits == 0 ? null : value;
    }

    /// <summary>A raw baseline message's key: its AMQP message id, a decimal number.</summary>
    public static long? MessageNumberOf(BasicDeliverEventArgs delivery) =>
        long.TryParse(delivery.BasicProperties.MessageId, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}

/// <summary>
/// One consumer of one queue that only counts: how many messages, how many distinct sequence numbers (the
/// number after the last '-' of the message id: <c>police-42</c> or <c>42</c>), first and last arrival. Same
/// consumer settings as <see cref="FanOutRecorder"/> (own connection, prefetch, manual ack of each message).
/// </summary>
public sealed class SequenceCounter : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly IChannel channel;
    private readonly bool[] seen;
    private long deliveries;
    private long distinct;
    private long outOfRange;
    private long first;
    private long last;

    private SequenceCounter(IConnection connection, IChannel channel, long expected)
    {
        this.connection = connection;
        this.channel = channel;
        seen = new bool[expected + 1];
    }

    public long Deliveries => Interlocked.Read(ref deliveries);

    public long Distinct => Interlocked.Read(ref distinct);

    public long OutOfRange => Interlocked.Read(ref outOfRange);

    public long First => Interlocked.Read(ref first);

    public long Last => Interlocked.Read(ref last);

    public static async Task<SequenceCounter> StartAsync(ConnectionFactory factory, string queue, ushort prefetch, long expected)
    {
        var connection = await factory.CreateConnectionAsync("popinfo-bench-counter");
        var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, prefetch, global: false);
        var counter = new SequenceCounter(connection, channel, expected);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += counter.OnReceivedAsync;
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
        return counter;
    }

    public async Task<bool> WaitForAsync(long count, TimeSpan deadline, Func<Task>? every10Seconds = null)
    {
        var until = DateTime.UtcNow + deadline;
        var nextReport = DateTime.UtcNow.AddSeconds(10);
        while (Distinct < count)
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            if (every10Seconds is not null && DateTime.UtcNow >= nextReport)
            {
                nextReport = nextReport.AddSeconds(10);
                await every10Seconds();
            }

            await Task.Delay(50);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await channel.CloseAsync();
            await connection.CloseAsync();
        }
        catch (Exception)
        {
            // Gone already.
        }

        await channel.DisposeAsync();
        await connection.DisposeAsync();
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        var at = Latencies.Now;
        if (Interlocked.Increment(ref deliveries) == 1)
        {
            Interlocked.Exchange(ref first, at);
        }

        Interlocked.Exchange(ref last, at);
        var id = delivery.BasicProperties.MessageId ?? "";
        var dash = id.LastIndexOf('-');
        if (long.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0 && sequence < seen.Length)
        {
            if (!seen[sequence])
            {
                seen[sequence] = true;
                Interlocked.Increment(ref distinct);
            }
        }
        else
        {
            Interlocked.Increment(ref outOfRange);
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
    }
}
