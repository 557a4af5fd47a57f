using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using RabbitMQ.Client;

namespace PopInfo.Benchmarks;

/// <summary>
/// Changes to the registry over its REST API, as <see cref="RegistryWorkload"/> (new persons, and for
/// <c>updateShare</c> of them a correction of someone registered earlier), noting each change's global
/// sequence number from the answer: the exchange's events carry it as <c>registrysequence</c>.
/// </summary>
public sealed class SequencedRegistryWorkload(HttpClient http, PersonFactory people, double updateShare) : IWorkload
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly ConcurrentQueue<(Guid Id, int Version)> idle = new();
    private long counter;

    public string Name => "registry";

    /// <summary>Command id → the change's sequence in the register's change log.</summary>
    public ConcurrentDictionary<Guid, long> Sequences { get; } = new();

    /// <summary>A person record as the registry answers it (the baseline stores one of this size).</summary>
    public string? LastPersonJson { get; private set; }

    public async Task<Sample> ExecuteAsync(long due)
    {
        var n = Interlocked.Increment(ref counter);
        var wantsUpdate = updateShare > 0 && Math.Floor(n * updateShare) > Math.Floor((n - 1) * updateShare);
        string kind, path;
        Guid key;
        byte[] body;
        if (wantsUpdate && idle.TryDequeue(out var person))
        {
            (key, body) = people.Correction(person.Version);
            (kind, path) = ("correct", $"/api/v1/persons/{person.Id}/corrections");
        }
        else
        {
            (key, _, body) = people.Register();
            (kind, path) = ("register", "/api/v1/persons");
        }

        var sent = Latencies.Now;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = Json;
            using var response = await http.SendAsync(request);
            var answer = await response.Content.ReadAsByteArrayAsync();
            var answered = Latencies.Now;
            var status = (int)response.StatusCode;
            if (status is not (200 or 201))
            {
                var text = System.Text.Encoding.UTF8.GetString(answer);
                return new Sample(kind, key, due, sent, answered, 0, false, $"HTTP {status} {(text.Length > 200 ? text[..200] : text)}");
            }

            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            Sequences[key] = root.GetProperty("sequence").GetInt64();
            idle.Enqueue((root.GetProperty("personId").GetGuid(), root.GetProperty("version").GetInt32()));
            if (n % 500 == 1)
            {
                LastPersonJson = root.GetProperty("person").GetRawText();
            }

            return new Sample(kind, key, due, sent, answered, 0, true, null);
        }
        catch (Exception ex)
        {
            return new Sample(kind, key, due, sent, Latencies.Now, 0, false, ex.GetType().Name + ": " + ex.Message);
        }
    }
}

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
