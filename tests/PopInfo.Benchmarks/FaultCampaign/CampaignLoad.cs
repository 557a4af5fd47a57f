using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using PopInfo.Domain.Statistics;

namespace PopInfo.Benchmarks.FaultCampaign;

/// <summary>What the registry answered a direct command, after as many attempts (instances tried) as it took.</summary>
public sealed record DirectAnswer(int Status, Guid? PersonId, int? Version, long? Sequence, int Attempts);

/// <summary>
/// The campaign's changes from three sources at once, each with its own share of <c>--changes</c>: direct registry
/// commands (registrations and phone corrections, REST, idempotent by command id), desk forms (migrant arrivals submitted
/// at the collection desk by a signed-in collector) and department pushes (moves within the city and corrections, in
/// batches, idempotent by record id). A request that gets no answer (the instance was killed, a 5xx) goes to the next
/// instance of the service (behind the gateway: to the gateway again, which picks a live one): the same command id or record id again; a desk form again as a new form (the desk has no
/// idempotency key; the register refuses the repeat as a duplicate identity number and the desk records that answer).
/// </summary>
public sealed class CampaignLoad(CampaignPlatform platform, CampaignDepartment pusher, int changes, double deskShare, double inboundShare, int clients, int deskClients)
{
    public const string DongtingCommunity = "320205001001";
    public const string BinhuCommunity = "320211001001";
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly PersonFactory people = new(firstBirth: new DateOnly(1960, 1, 1));
    private readonly ConcurrentQueue<(Guid PersonId, int Version)> correctable = new();
    private readonly ConcurrentQueue<(string IdNumber, string Community)> pushable = new();
    private long progress;
    private int directIssued;
    private int registrations;
    private int formsIssued;
    private int recordsIssued;
    private int phones;
    private volatile bool directDone;

    public int DirectQuota { get; } = changes - (int)(changes * deskShare) - (int)(changes * inboundShare);

    public int DeskQuota { get; } = (int)(changes * deskShare);

    public int InboundQuota { get; } = (int)(changes * inboundShare);

    /// <summary>Operations answered so far (commands, forms, records): what the faults are spread over.</summary>
    public long Progress => Interlocked.Read(ref progress);

    public ConcurrentDictionary<Guid, DirectAnswer> Direct { get; } = new();

    /// <summary>Forms the desk answered 201 (form id), and how many were submitted again on another instance.</summary>
    public ConcurrentBag<Guid> Forms { get; } = [];

    public int FormsResubmitted => formsResubmitted;

    private int formsResubmitted;

    /// <summary>Record id → the state the exchange answered it with (the first answer that was not a failure).</summary>
    public ConcurrentDictionary<string, string> Records { get; } = new();

    public int PushesRetried => pushesRetried;

    private int pushesRetried;

    public List<string> Errors { get; } = [];

    /// <summary>
    /// How far the load may go (answered operations) before it waits for the faults: the campaign lets it run one share
    /// ahead of the fault being injected (<see cref="Allow"/>), so that every fault falls while changes flow however long
    /// the recoveries before it took, and a slow recovery holds the load back instead of the load running out first.
    /// </summary>
    public long Allowed => Interlocked.Read(ref allowed);

    /// <summary>How long, in all, the load waited for the faults to catch up (about: timed by the first worker to wait).</summary>
    public TimeSpan Held => TimeSpan.FromTicks(Interlocked.Read(ref heldTicks));

    public int Changes => changes;

    private long allowed = long.MaxValue;
    private long heldTicks;
    private int holding;

    /// <summary>Lets the load go up to <paramref name="upTo"/> answered operations (long.MaxValue: to the end).</summary>
    public void Allow(long upTo) => Interlocked.Exchange(ref allowed, upTo);

    private async Task HoldForFaultsAsync()
    {
        if (Progress < Allowed)
        {
            return;
        }

        var timing = Interlocked.CompareExchange(ref holding, 1, 0) == 0;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (Progress >= Allowed)
        {
            // A load generator's pacing, not a test's wait: the campaign moves Allowed on after each fault.
            await Task.Delay(50);
        }

        if (timing)
        {
            Interlocked.Add(ref heldTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
            Volatile.Write(ref holding, 0);
        }
    }

    public async Task RunAsync()
    {
        var direct = Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(DirectWorkerAsync)))
            .ContinueWith(_ => directDone = true, TaskScheduler.Default);
        var desk = DeskAsync();
        var inbound = Task.Run(InboundWorkerAsync);
        await Task.WhenAll(direct, desk, inbound);
    }

    private async Task DirectWorkerAsync()
    {
        using var http = ChangeLatency.CreateHttpClient(new Uri("http://127.0.0.1/"));
        http.BaseAddress = null;
        http.Timeout = TimeSpan.FromSeconds(10);
        int n;
        while ((n = Interlocked.Increment(ref directIssued)) <= DirectQuota)
        {
            await HoldForFaultsAsync();
            Guid commandId;
            string path;
            byte[] body;
            (Guid PersonId, int Version) person = default;
            var isCorrection = n % 3 == 2 && correctable.TryDequeue(out person);
            string community = n % 4 == 3 ? BinhuCommunity : DongtingCommunity;
            if (isCorrection)
            {
                (commandId, body) = people.Correction(person.Version);
                path = $"/api/v1/persons/{person.PersonId}/corrections";
            }
            else
            {
                var (idNumber, birth, male) = people.NextIdentity();
                commandId = Guid.NewGuid();
                var fields = People.RegisterBody(commandId, idNumber, birth, male ? "1" : "2", community);
                body = JsonSerializer.SerializeToUtf8Bytes(fields);
                path = "/api/v1/persons";
            }

            var (status, answer, attempts) = await SendAsync(http, platform.Addresses("registry"), n, path, body);
            var personId = answer?["personId"]?.GetValue<Guid>();
            var version = answer?["version"]?.GetValue<int>();
            Direct[commandId] = new DirectAnswer(status, personId, version, answer?["sequence"]?.GetValue<long>(), attempts);
            Interlocked.Increment(ref progress);
            if (status is 200 or 201 && personId is { } id && version is { } v)
            {
                if (!isCorrection && Interlocked.Increment(ref registrations) % 3 != 0)
                {
                    // Two new persons in three are the departments' to push records about (one record each); the rest are
                    // corrected directly, again and again (a corrected person goes back to the pool).
                    pushable.Enqueue(((string)JsonNode.Parse(body)!["idNumber"]!, community));
                }
                else
                {
                    correctable.Enqueue((id, v));
                }
            }
            else
            {
                Note($"direct {path}: HTTP {status} {answer?.ToJsonString()}");
            }
        }
    }

    /// <summary>
    /// POSTs to one address after another (the service's instances, or its one address behind the gateway) until one
    /// answers something other than a 5xx (at most five minutes).
    /// </summary>
    private static async Task<(int Status, JsonNode? Answer, int Attempts)> SendAsync(HttpClient http, IReadOnlyList<Uri> addresses, int start, string path, byte[] body, string? bearer = null)
    {
        var until = DateTime.UtcNow.AddMinutes(5);
        for (var attempt = 0; ; attempt++)
        {
            var address = addresses[(start + attempt) % addresses.Count];
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path)) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = Json;
                if (bearer is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                }

                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                if (status < 500 || DateTime.UtcNow > until)
                {
                    return (status, text.Length == 0 ? null : JsonNode.Parse(text), attempt + 1);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && DateTime.UtcNow < until)
            {
                // Not answered: killed, restarting, or its database or broker away. The next address (or the same gateway again).
            }

            if (attempt % addresses.Count == addresses.Count - 1)
            {
                await Task.Delay(200);
            }
        }
    }

    private async Task DeskAsync()
    {
        if (DeskQuota == 0)
        {
            return;
        }

        var desks = platform.Addresses("collection");
        var signedIn = new List<HttpClient>();
        foreach (var desk in desks)
        {
            var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
            {
                BaseAddress = desk,
                Timeout = TimeSpan.FromSeconds(10),
            };
            var hint = TestIssuer.Shared.People.Add(new TestPerson("campaign-collector-" + Guid.NewGuid().ToString("N")[..6], "演练", "collector", DongtingCommunity));
            signedIn.Add(await DeskSignIn.SignInAsync(http, hint));
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, deskClients).Select(_ => Task.Run(() => DeskWorkerAsync(signedIn))));
        }
        finally
        {
            signedIn.ForEach(h => h.Dispose());
        }
    }

    private async Task DeskWorkerAsync(List<HttpClient> desks)
    {
        int n;
        while ((n = Interlocked.Increment(ref formsIssued)) <= DeskQuota)
        {
            await HoldForFaultsAsync();
            var form = people.MigrantArrivalForm("东亭街道演练路" + n.ToString(CultureInfo.InvariantCulture) + "号", DongtingCommunity);
            var until = DateTime.UtcNow.AddMinutes(5);
            for (var attempt = 0; ; attempt++)
            {
                var desk = desks[(n + attempt) % desks.Count];
                if (attempt > 0)
                {
                    Interlocked.Increment(ref formsResubmitted);
                }

                try
                {
                    using var content = new ByteArrayContent(form);
                    content.Headers.ContentType = Json;
                    using var response = await desk.PostAsync("/api/v1/forms", content);
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        Forms.Add(JsonNode.Parse(text)!["id"]!.GetValue<Guid>());
                        break;
                    }

                    if ((int)response.StatusCode < 500 || DateTime.UtcNow > until)
                    {
                        Note($"desk form: HTTP {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}");
                        break;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && DateTime.UtcNow < until)
                {
                    // Not answered: the next desk address (or the same gateway again).
                }

                if (attempt % desks.Count == desks.Count - 1)
                {
                    await Task.Delay(200);
                }
            }

            Interlocked.Increment(ref progress);
        }
    }

    private async Task InboundWorkerAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var exchanges = platform.Addresses("exchange");
        var batchNumber = 0;
        while (Volatile.Read(ref recordsIssued) < InboundQuota)
        {
            await HoldForFaultsAsync();
            var batch = new JsonArray();
            while (batch.Count < 25 && recordsIssued < InboundQuota && pushable.TryDequeue(out var person))
            {
                var n = Interlocked.Increment(ref recordsIssued);
                batch.Add(n % 2 == 0 ? Move(n, person) : Correction(n, person));
            }

            if (batch.Count == 0)
            {
                if (directDone)
                {
                    Note($"inbound: no more people to push records about after {recordsIssued} records");
                    return;
                }

                // Waiting for the direct driver's next registrations (the people records are pushed about).
                await Task.Delay(50);
                continue;
            }

            var body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["records"] = batch });
            var (status, answer, attempts) = await SendAsync(http, exchanges, batchNumber++, "/api/v1/inbound", body, pusher.ApiKey);
            Interlocked.Add(ref pushesRetried, attempts - 1);
            if (status != 200 || answer?["results"] is not JsonArray results)
            {
                Note($"inbound push: HTTP {status} {answer?.ToJsonString()[..Math.Min(300, answer.ToJsonString().Length)]}");
                continue;
            }

            foreach (var result in results)
            {
                var state = (string)result!["state"]!;
                if (state == "duplicate")
                {
                    // Taken by an attempt whose answer was lost: what it became then.
                    state = (string?)result["currentState"] ?? state;
                }

                Records[(string)result["recordId"]!] = state;
                if (state is not ("queued" or "sent" or "applied"))
                {
                    Note($"inbound record {(string)result["recordId"]!}: {result.ToJsonString()}");
                }
            }

            Interlocked.Add(ref progress, results.Count);
        }
    }

    private static JsonObject Move(int n, (string IdNumber, string Community) person) => new()
    {
        ["recordId"] = $"MV-{n}",
        ["kind"] = "move-within-city",
        ["person"] = new JsonObject { ["idNumber"] = person.IdNumber },
        ["moveDate"] = Yesterday(),
        ["residenceAddress"] = "演练路" + n.ToString(CultureInfo.InvariantCulture) + "号",
        ["residenceRegionCode"] = person.Community == DongtingCommunity ? BinhuCommunity : DongtingCommunity,
    };

    private JsonObject Correction(int n, (string IdNumber, string Community) person) => new()
    {
        ["recordId"] = $"CR-{n}",
        ["kind"] = "correction",
        ["person"] = new JsonObject { ["idNumber"] = person.IdNumber },
        ["reason"] = "fault campaign: phone number corrected",
        ["changes"] = new JsonObject { ["phone"] = "136" + (Interlocked.Increment(ref phones) % 100_000_000).ToString("D8", CultureInfo.InvariantCulture) },
    };

    private static string Yesterday() => ChinaTime.Today(TimeProvider.System).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private void Note(string error)
    {
        lock (Errors)
        {
            Errors.Add(error);
        }
    }
}
