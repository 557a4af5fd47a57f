using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using RabbitMQ.Client;

namespace PopInfo.Benchmarks;

/// <summary>
/// One unit of work, timed. <see cref="Due"/> is when it was scheduled, <see cref="Sent"/> when it started,
/// <see cref="Answered"/> when the registry answered (or the raw transaction committed), <see cref="Confirmed"/>
/// when the broker confirmed the raw publish (raw only), <see cref="Delivered"/> when the raw consumer got the
/// event (filled in afterwards). Ticks of <see cref="System.Diagnostics.Stopwatch"/>; 0 = did not happen.
/// </summary>
public sealed record Sample(string Kind, Guid Key, long Due, long Sent, long Answered, long Confirmed, bool Ok, string? Error)
{
    public long Delivered { get; set; }
}

public interface IWorkload
{
    string Name { get; }

    Task<Sample> ExecuteAsync(long due);
}

/// <summary>
/// The registry over HTTP: "register person" commands (each a new valid person) and, for
/// <c>updateShare</c> of the commands, a correction of someone registered earlier with the version last
/// seen (<c>expectedVersion</c>). A person is corrected by at most one command at a time. Each change's
/// global sequence number is noted from the answer (the exchange's events carry it as <c>registrysequence</c>).
/// </summary>
/// <remarks>New people are registered residents, or with <paramref name="migrantArrivals"/> migrants arriving (the command a desk's migrant-arrival form becomes).</remarks>
public sealed class RegistryWorkload(HttpClient http, PersonFactory people, double updateShare, bool migrantArrivals = false) : IWorkload
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly ConcurrentQueue<(Guid Id, int Version)> idle = new();
    private long counter;

    public string Name => "registry";

    /// <summary>Command id → the change's sequence in the register's change log.</summary>
    public ConcurrentDictionary<Guid, long> Sequences { get; } = new();

    /// <summary>The last "register person" answer, to size the baseline's row like the registry's record.</summary>
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
            (key, _, body) = migrantArrivals ? people.MigrantArrival() : people.Register();
            (kind, path) = migrantArrivals ? ("migrant-arrival", "/api/v1/migrant-arrivals") : ("register", "/api/v1/persons");
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
                return new Sample(kind, key, due, sent, answered, 0, false, $"HTTP {status} {ProblemSummary(answer)}");
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

    /// <summary>The problem's title and detail (not its trace id), so that equal errors group together.</summary>
    private static string ProblemSummary(byte[] body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            return $"{(root.TryGetProperty("title", out var t) ? t.GetString() : "")} {(root.TryGetProperty("detail", out var d) ? d.GetString() : "")}".Trim();
        }
        catch (JsonException)
        {
            var text = Encoding.UTF8.GetString(body);
            return text.Length > 200 ? text[..200] : text;
        }
    }
}

/// <summary>
/// The baseline: the least a change could cost on the same servers. A raw Npgsql transaction inserting one
/// row (the registry's person record as JSON, a uniquely indexed identity number) and committing, then a raw
/// RabbitMQ.Client 7 publish, with publisher confirms, of a persistent message of the registry event's size
/// to a durable fanout exchange with one bound durable queue (the <see cref="DeliveryRecorder"/>'s).
/// </summary>
public sealed class RawWorkload : IWorkload, IAsyncDisposable
{
    public const string Exchange = "popinfo-bench.raw";
    private readonly NpgsqlDataSource data;
    private readonly IConnection broker;
    private readonly ConcurrentBag<IChannel> channels = [];
    private readonly PersonFactory people;
    private readonly string record;
    private readonly byte[] message;

    private RawWorkload(NpgsqlDataSource data, IConnection broker, PersonFactory people, string record, byte[] message)
    {
        this.data = data;
        this.broker = broker;
        this.people = people;
        this.record = record;
        this.message = message;
    }

    public string Name => "raw";

    public int RecordBytes => Encoding.UTF8.GetByteCount(record);

    public int MessageBytes => message.Length;

    /// <param name="database">The run's database; the scratch table is created in schema <c>bench</c>.</param>
    /// <param name="rabbitMq">The run's virtual host.</param>
    /// <param name="record">The JSON record to store per row (a real registry record).</param>
    /// <param name="message">The body to publish (a real registry event envelope).</param>
    public static async Task<RawWorkload> CreateAsync(string database, Uri rabbitMq, string record, byte[] message)
    {
        // The registry's settings: Max Auto Prepare 50 (PostgreSqlDialect), the pool's defaults otherwise.
        var data = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(database) { MaxAutoPrepare = 50, ApplicationName = "popinfo-bench-raw" }.ConnectionString).Build();
        await using (var command = data.CreateCommand("""
            CREATE SCHEMA IF NOT EXISTS bench;
            CREATE TABLE bench.raw_person (
                id          uuid PRIMARY KEY,
                id_number   text NOT NULL,
                record      jsonb NOT NULL,
                recorded_at timestamptz NOT NULL);
            CREATE UNIQUE INDEX raw_person_id_number ON bench.raw_person (id_number);
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        var factory = new ConnectionFactory { Uri = rabbitMq };
        var connection = await factory.CreateConnectionAsync("popinfo-bench-raw");
        await using (var setup = await connection.CreateChannelAsync())
        {
            await setup.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        }

        return new RawWorkload(data, connection, new PersonFactory(5_000_000), record, message);
    }

    public async Task<Sample> ExecuteAsync(long due)
    {
        var key = Guid.CreateVersion7();
        var (idNumber, _, _) = people.NextIdentity();
        var sent = Latencies.Now;
        long committed = 0;
        try
        {
            await using (var connection = await data.OpenConnectionAsync())
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO bench.raw_person (id, id_number, record, recorded_at) VALUES ($1, $2, $3, $4)", connection, transaction);
                insert.Parameters.Add(new NpgsqlParameter { Value = key });
                insert.Parameters.Add(new NpgsqlParameter { Value = idNumber });
                insert.Parameters.Add(new NpgsqlParameter { Value = record, NpgsqlDbType = NpgsqlDbType.Jsonb });
                insert.Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.UtcNow });
                await insert.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }

            committed = Latencies.Now;
            if (!channels.TryTake(out var channel))
            {
                channel = await broker.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            }

            var properties = new BasicProperties
            {
                Persistent = true,
                MessageId = key.ToString(),
                ContentType = "application/vnd.masstransit+json",
            };
            // With confirmation tracking the call returns when the broker has confirmed (persisted) the message.
            await channel.BasicPublishAsync(Exchange, string.Empty, mandatory: false, properties, message);
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
