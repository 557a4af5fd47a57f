using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using RabbitMQ.Client.Events;

namespace PopInfo.Benchmarks;

/// <summary>
/// desk-throughput: the registry and the collection desk as their own processes on PostgreSQL and RabbitMQ.
/// A collector's client submits forms (POST /api/v1/forms, submit: true); a form counts as accepted when the
/// registry's answer for it is sent (caught by a raw consumer bound to the desk's answer exchange
/// popinfo.registry.answers.collection beside the desk's own queue: the message the desk records). Then the registry's own REST API at its maximum rate, for comparison:
/// migrant arrivals (the command each form becomes: the target's comparison), then resident registrations.
/// </summary>
public static class DeskThroughput
{
    public static readonly string AnswersExchange = PopInfo.Contracts.Registry.Commands.RegistryCommandRoutes.AnswerExchange("collection");

    public static async Task RunAsync(Options options)
    {
        var rate = options.Number("rate", 100);
        var seconds = options.Whole("seconds", 60);
        var maxSeconds = options.Whole("max-seconds", 20);
        var clients = options.Ints("clients", "4,16");
        var warmup = options.Whole("warmup", 10);
        var drain = TimeSpan.FromSeconds(options.Whole("drain", 60));
        var servicesBin = options.OptionalString("services-bin");
        var extraEnv = options.All("env");
        // Connection-string keywords added to the services' (for trying Npgsql settings): "No Reset On Close=true".
        var connectionOptions = options.OptionalString("connection-options");
        using var infrastructure = Infrastructure.FromOptions(options);
        options.RejectUnknown();
        await Cli.PrintHeaderAsync("desk-throughput", options, infrastructure);

        var created = await infrastructure.CreateDatabaseAsync();
        var database = connectionOptions is null ? created : created + ";" + connectionOptions;
        var vhost = await infrastructure.CreateVirtualHostAsync();
        Console.WriteLine($"   database {new Npgsql.NpgsqlConnectionStringBuilder(database).Database}, RabbitMQ virtual host {vhost.AbsolutePath}{(connectionOptions is null ? "" : $"; services' connection string with {connectionOptions}")}");
        try
        {
            await using var answers = await DeliveryRecorder.StartAsync(vhost, AnswersExchange, CorrelationIdOfEnvelope);
            var registryPort = ServiceProcess.FreePort();
            var deskPort = ServiceProcess.FreePort();
            await using var registry = ServiceProcess.Start("registry", ServiceLocator.Find("PopInfo.Registry", servicesBin),
                ChangeLatency.DistributedEnvironment(registryPort, database, vhost, extraEnv));
            await registry.WaitReadyAsync(new Uri($"http://127.0.0.1:{registryPort}/health/ready"), TimeSpan.FromSeconds(90));
            var deskEnvironment = ChangeLatency.DistributedEnvironment(deskPort, database, vhost, extraEnv);
            deskEnvironment["PopInfo__Collection__RegistryUrl"] = $"http://127.0.0.1:{registryPort}/";
            await using var desk = ServiceProcess.Start("collection", ServiceLocator.Find("PopInfo.Collection", servicesBin), deskEnvironment);
            await desk.WaitReadyAsync(new Uri($"http://127.0.0.1:{deskPort}/health/ready"), TimeSpan.FromSeconds(90));
            Console.WriteLine($"\n-- registry pid {registry.Pid} (log {registry.LogPath}) on {registryPort}; collection pid {desk.Pid} (log {desk.LogPath}) on {deskPort}");

            using var deskHttp = await SignedInCollectorAsync(new Uri($"http://127.0.0.1:{deskPort}"));
            var people = new PersonFactory();
            var workload = new DeskWorkload(deskHttp, people);
            var warm = await Drive.OpenLoopAsync("warm-up", workload, Math.Min(rate, 50), TimeSpan.FromSeconds(warmup), spin: false);
            Console.WriteLine($"   warm-up: {warm.Samples.Count} forms, {warm.Samples.Count(s => !s.Ok)} errors{FirstError(warm)}");
            await Drive.CollectDeliveriesAsync(warm, answers, drain);

            var load = new Measured(registry, desk);
            await ReportAsync(await Drive.OpenLoopAsync($"desk open loop {rate}/s", workload, rate, TimeSpan.FromSeconds(seconds), spin: false), answers, drain, true, load);
            var deskMax = new Dictionary<int, double>();
            foreach (var n in clients)
            {
                load = new Measured(registry, desk);
                var run = await Drive.ClosedLoopAsync($"desk closed loop, {n} clients", workload, n, TimeSpan.FromSeconds(maxSeconds));
                deskMax[n] = await ReportAsync(run, answers, drain, false, load);
            }

            // Two baselines on the same servers: the registry's own migrant arrivals — the command each desk form becomes,
            // the fair comparison and the target's — and, as before, residents registered.
            using var registryHttp = ChangeLatency.CreateHttpClient(new Uri($"http://127.0.0.1:{registryPort}"));
            foreach (var (name, direct) in new[]
            {
                ("migrant arrivals", new RegistryWorkload(registryHttp, people, 0, migrantArrivals: true)),
                ("registrations", new RegistryWorkload(registryHttp, people, 0)),
            })
            {
                foreach (var n in clients)
                {
                    var meter = new BusyMeter();
                    var run = await Drive.ClosedLoopAsync($"registry REST {name} closed loop, {n} clients", direct, n, TimeSpan.FromSeconds(maxSeconds));
                    var directRate = run.Samples.Count(s => s.Ok) / run.Seconds;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"\n[{run.Title}] {run.Samples.Count(s => s.Ok)} applied in {run.Seconds:0.0} s = {directRate:0.0}/s; errors {run.Samples.Count(s => !s.Ok)}{FirstError(run)}"));
                    Console.WriteLine("  answer (sent → HTTP 201 read) ".PadRight(41) + Latencies.Summary(run.Samples.Where(s => s.Ok).Select(s => Latencies.Ms(s.Sent, s.Answered))));
                    Console.WriteLine(meter.Report());
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  desk/registry {name} at {n} clients: {deskMax[n]:0.0} / {directRate:0.0} = {deskMax[n] / directRate:0.00}×{(name == "migrant arrivals" ? " (target ≥ 0.8×)" : "")}"));
                }
            }
        }
        finally
        {
            await infrastructure.DeleteVirtualHostAsync(vhost);
            await infrastructure.DropDatabaseAsync(created);
        }
    }

    /// <summary>Prints a run; returns its accepted rate (forms whose answer arrived, from the first send to the last answer).</summary>
    private static async Task<double> ReportAsync(Run run, DeliveryRecorder answers, TimeSpan drain, bool openLoop, Measured load)
    {
        var busy = load.Report(run.Seconds);
        var (delivered, drained) = await Drive.CollectDeliveriesAsync(run, answers, drain);
        var ok = run.Samples.Where(s => s.Ok).ToList();
        var origin = openLoop ? "scheduled" : "sent";
        var answered = ok.Where(s => s.Delivered > 0).ToList();
        var refused = answered.Where(s => Refused.ContainsKey(s.Key)).ToList();
        var accepted = answered.Except(refused).ToList();
        var acceptedRate = accepted.Count == 0 ? 0 : accepted.Count / (Latencies.Ms(ok.Min(s => s.Sent), accepted.Max(s => s.Delivered)) / 1000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\n[{run.Title}] {run.Seconds:0.0} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  submitted {run.Samples.Count} = {run.Samples.Count / run.Seconds:0.0}/s; 201 {ok.Count}; errors {run.Samples.Count - ok.Count}{FirstError(run)}"));
        Console.WriteLine($"  submit   ({origin} → HTTP 201 read) ".PadRight(41) + Latencies.Summary(ok.Select(s => Latencies.Ms(s.Due, s.Answered))));
        Console.WriteLine($"  accepted ({origin} → registry's answer published) ".PadRight(41) + Latencies.Summary(accepted.Select(s => Latencies.Ms(s.Due, s.Delivered))));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  accepted {accepted.Count}/{ok.Count}, refused by the registry {refused.Count}{(refused.Count > 0 ? $" (first: {Refused[refused[0].Key]})" : "")}; last answer {drained:0.00} s after the load stopped; accepted rate {acceptedRate:0.0}/s"));
        Console.WriteLine(busy);
        return acceptedRate;
    }

    /// <summary>Machine and per-process CPU from its creation (just before a run) to the report (just after it).</summary>
    private sealed class Measured(ServiceProcess registry, ServiceProcess desk)
    {
        private readonly BusyMeter meter = new();
        private readonly TimeSpan registryCpu = registry.ProcessorTime();
        private readonly TimeSpan deskCpu = desk.ProcessorTime();

        public string Report(double seconds) => string.Create(CultureInfo.InvariantCulture,
            $"  CPU during the run: registry {(registry.ProcessorTime() - registryCpu).TotalSeconds / seconds * 100:0}% of a core, collection {(desk.ProcessorTime() - deskCpu).TotalSeconds / seconds * 100:0}%{Environment.NewLine}" +
            $"  registry {registry.Memory()}; collection {desk.Memory()}{Environment.NewLine}{meter.Report()}");
    }

    private static string FirstError(Run run) => run.Samples.FirstOrDefault(s => !s.Ok)?.Error is { } e ? $" (first: {e})" : "";

    /// <summary>Forms the registry answered with a refusal, by form id, with the answer's status and first rule.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, string> Refused = new();

    /// <summary>
    /// The key of an answer: the form id, which the desk sends as the command's correlation id. An answer that is a
    /// refusal is noted in <see cref="Refused"/>: it is an answer, not an acceptance, and is reported apart.
    /// </summary>
    public static Guid? CorrelationIdOfEnvelope(BasicDeliverEventArgs delivery)
    {
        using var document = JsonDocument.Parse(delivery.Body);
        if (!document.RootElement.TryGetProperty("message", out var message)
            || !message.TryGetProperty("correlationId", out var id) || !id.TryGetGuid(out var guid))
        {
            return null;
        }

        if (message.TryGetProperty("applied", out var applied) && applied.ValueKind == JsonValueKind.False)
        {
            var status = message.TryGetProperty("status", out var s) ? s.ToString() : "?";
            var detail = message.TryGetProperty("problem", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("detail", out var d) ? d.ToString() : "";
            Refused[guid] = $"{status} {detail[..Math.Min(160, detail.Length)]}";
        }

        return guid;
    }

    private static async Task<HttpClient> SignedInCollectorAsync(Uri desk)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, CookieContainer = cookies, MaxConnectionsPerServer = 512, AllowAutoRedirect = false })
        {
            BaseAddress = desk, Timeout = TimeSpan.FromSeconds(30),
        };
        // Signed in at the tests' issuer, as a browser does (the desk has no passwords of its own).
        return await PopInfo.Testing.DeskSignIn.SignInAsync(http, PopInfo.Testing.TestIssuer.Shared.People.Add(new PopInfo.Testing.TestPerson("bench-collector", "压测", "collector", PersonFactory.Community)));
    }

    /// <summary>A migrant arrival form per unit, submitted at once: a new valid person each (no register look-ups at submit).</summary>
    private sealed class DeskWorkload(HttpClient http, PersonFactory people) : IWorkload
    {
        public string Name => "desk";

        public async Task<Sample> ExecuteAsync(long due)
        {
            using var body = new ByteArrayContent(people.MigrantArrivalForm("东亭街道春华路1号"));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var sent = Latencies.Now;
            try
            {
                using var response = await http.PostAsync("/api/v1/forms", body);
                var answer = await response.Content.ReadAsByteArrayAsync();
                var answered = Latencies.Now;
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    return new Sample("form", Guid.Empty, due, sent, answered, 0, false, $"HTTP {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(answer)[..Math.Min(200, answer.Length)]}");
                }

                using var document = JsonDocument.Parse(answer);
                return new Sample("form", document.RootElement.GetProperty("id").GetGuid(), due, sent, answered, 0, true, null);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return new Sample("form", Guid.Empty, due, sent, Latencies.Now, 0, false, ex.Message);
            }
        }
    }
}
