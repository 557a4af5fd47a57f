using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;
using RabbitMQ.Client;

namespace PopInfo.Benchmarks;

/// <summary>
/// The latency baseline: the least a change fanned out to the departments could cost on the same servers. A
/// raw Npgsql transaction inserting one row (the registry's person record as jsonb) and committing, then a
/// raw RabbitMQ.Client publish of the same CloudEvent body to each of the department queues (persistent,
/// publisher confirms, all published before the confirms are awaited), like the exchange's relay does.
/// </summary>
public sealed class RawFanOutWorkload : IWorkload, IAsyncDisposable
{
    private readonly NpgsqlDataSource data;
    private readonly IConnection broker;
    private readonly ConcurrentBag<IChannel> channels = [];
    private readonly IReadOnlyList<string> queues;
    private readonly string record;
    private readonly byte[] body;
    private readonly string type;
    private long counter;

    private RawFanOutWorkload(NpgsqlDataSource data, IConnection broker, IReadOnlyList<string> queues, string record, byte[] body, string type)
    {
        this.data = data;
        this.broker = broker;
        this.queues = queues;
        this.record = record;
        this.body = body;
        this.type = type;
    }

    public string Name => "raw";

    /// <summary>Sample key → the message number published (the AMQP message id).</summary>
    public ConcurrentDictionary<Guid, long> Numbers { get; } = new();

    public static async Task<RawFanOutWorkload> CreateAsync(string database, ConnectionFactory factory, IReadOnlyList<string> queues, string record, byte[] body, string type)
    {
        var data = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(database)
        {
            MaxAutoPrepare = 50,
            ApplicationName = "popinfo-bench-raw",
            SslMode = SslMode.Disable,
            MaxPoolSize = 16,
        }.ConnectionString).Build();
        await using (var command = data.CreateCommand("""
            CREATE SCHEMA IF NOT EXISTS bench;
            CREATE TABLE IF NOT EXISTS bench.raw_change (
                sequence    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id          uuid NOT NULL,
                record      jsonb NOT NULL,
                recorded_at timestamptz NOT NULL);
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        var connection = await factory.CreateConnectionAsync("popinfo-bench-raw-fanout");
        await using (var setup = await connection.CreateChannelAsync())
        {
            foreach (var queue in queues)
            {
                await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            }
        }

        return new RawFanOutWorkload(data, connection, queues, record, body, type);
    }

    public async Task<Sample> ExecuteAsync(long due)
    {
        var key = Guid.NewGuid();
        var number = Interlocked.Increment(ref counter);
        Numbers[key] = number;
        var sent = Latencies.Now;
        long committed = 0;
        try
        {
            await using (var connection = await data.OpenConnectionAsync())
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await using var insert = new NpgsqlCommand("INSERT INTO bench.raw_change (id, record, recorded_at) VALUES ($1, $2, $3)", connection, transaction);
                insert.Parameters.Add(new NpgsqlParameter { Value = key });
                insert.Parameters.Add(new NpgsqlParameter { Value = record, NpgsqlDbType = NpgsqlDbType.Jsonb });
                insert.Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.UtcNow });
                await insert.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }

            committed = Latencies.Now;
            if (!channels.TryTake(out var channel))
            {
                channel = await broker.CreateChannelAsync(ExchangeFanOut.ConfirmedChannel());
            }

            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/cloudevents+json",
                MessageId = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Type = type,
                AppId = "popinfo-bench-raw",
                Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            };
            var confirms = new Task[queues.Count];
            for (var i = 0; i < queues.Count; i++)
            {
                confirms[i] = channel.BasicPublishAsync(string.Empty, queues[i], mandatory: true, properties, body).AsTask();
            }

            await Task.WhenAll(confirms);
            channels.Add(channel);
            return new Sample("raw", key, due, sent, committed, Latencies.Now, true, null);
        }
        catch (Exception ex)
        {
            return new Sample("raw", key, due, sent, committed, 0, false, ex.GetType().Name + ": " + ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (channels.TryTake(out var channel))
        {
            await channel.DisposeAsync();
        }

        await broker.DisposeAsync();
        await data.DisposeAsync();
    }
}
