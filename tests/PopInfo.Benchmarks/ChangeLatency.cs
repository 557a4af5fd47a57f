using System.Globalization;
using System.Net;
using System.Text;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Benchmarks;

/// <summary>
/// change-latency: the registry as its own process on PostgreSQL and RabbitMQ, driven over HTTP, each event
/// caught by a raw consumer; then the raw baseline at the same load on the same servers.
/// </summary>
public static class ChangeLatency
{
    public const string PersonChangedExchange = "popinfo.person-changed";

    public static async Task RunAsync(Options options)
    {
        var rate = options.Number("rate", 200);
        var max = options.Flag("max");
        var seconds = options.Whole("seconds", max ? 20 : 60);
        var clients = max ? options.Ints("clients", "1,4,16") : [];
        var warmup = options.Whole("warmup", 10);
        var warmupRate = options.Number("warmup-rate", max ? 50 : rate);
        var registryConnection = options.OptionalString("registry-connection");
        var updates = options.Number("updates", 0.2);
        var drain = TimeSpan.FromSeconds(options.Whole("drain", 30));
        var spin = options.Flag("spin");
        var skipRegistry = options.Flag("skip-registry");
        var skipRaw = options.Flag("skip-raw");
        var keep = options.Flag("keep");
        var registryEnv = options.All("registry-env");
        var servicesBin = options.OptionalString("services-bin");
        var monitoring = options.Text("monitoring", "off") switch
        {
            "on" => true,
            "off" => false,
            var other => throw new ArgumentException($"--monitoring is on or off, not '{other}'."),
        };
        using var infrastructure = Infrastructure.FromOptions(options);
        options.RejectUnknown();
        await Cli.PrintHeaderAsync("change-latency", options, infrastructure);

        var database = await infrastructure.CreateDatabaseAsync();
        var vhost = await infrastructure.CreateVirtualHostAsync();
        Console.WriteLine($"   database {new Npgsql.NpgsqlConnectionStringBuilder(database).Database}, RabbitMQ virtual host {vhost.AbsolutePath}");
        string? personJson = null;
        byte[]? eventBody = null;
        try
        {
            if (!skipRegistry)
            {
                var registryDatabase = registryConnection is null ? database : database + ";" + registryConnection;
                // --monitoring on: the same registry run three times, off, on, off, so that neither a warmer process nor a larger
                // database favours one side; "on" adds what watching costs (OTLP export, scrapes, the monitoring service).
                bool[] passes = monitoring ? [false, true, false] : [false];
                var summaries = new List<(bool Monitored, IReadOnlyList<RunSummary> Runs)>();
                for (var pass = 0; pass < passes.Length; pass++)
                {
                    IReadOnlyList<RunSummary> runs;
                    (personJson, eventBody, runs) = await RegistryAsync(infrastructure.Postgres, registryDatabase, vhost, servicesBin, registryEnv, rate, seconds, warmup,
                        warmupRate, updates, drain, spin, clients, passes[pass] ? MonitoringSetup.Full : null, firstPerson: pass * 10_000_000);
                    summaries.Add((passes[pass], runs));
                }

                if (monitoring)
                {
                    PrintMonitoringCost(summaries);
                }
            }

            if (!skipRaw)
            {
                await RawAsync(database, vhost, personJson, eventBody, rate, seconds, warmup, warmupRate, drain, spin, clients);
            }
        }
        finally
        {
            if (!keep)
            {
                await infrastructure.DeleteVirtualHostAsync(vhost);
                await infrastructure.DropDatabaseAsync(database);
            }
        }
    }

    /// <summary>
    /// The passes' figures side by side, and "on" against the mean of the two "off" passes around it (the issue's target:
    /// under 5 % on throughput and p99).
    /// </summary>
    private static void PrintMonitoringCost(List<(bool Monitored, IReadOnlyList<RunSummary> Runs)> summaries)
    {
        Console.WriteLine("\n[monitoring off, on, off] the same registry load, one after the other on the same servers");
        foreach (var (monitored, runs) in summaries)
        {
            foreach (var run in runs)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {(monitored ? "on " : "off")}  {run.Title,-36} answered {run.Throughput,7:0.0}/s  answer p99 {run.AnswerP99,7:0.00} ms  delivered p99 {run.DeliveredP99,7:0.00} ms"));
            }
        }

        var off = summaries.Where(s => !s.Monitored).Select(s => s.Runs[0]).ToList();
        var on = summaries.Single(s => s.Monitored).Runs[0];
        static string Change(double on, double off) => string.Create(CultureInfo.InvariantCulture, $"{(on - off) / off * 100:+0.0;-0.0} %");
        var (throughput, answer, delivered) = (off.Average(r => r.Throughput), off.Average(r => r.AnswerP99), off.Average(r => r.DeliveredP99));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  on against the mean of off: answered {Change(on.Throughput, throughput)}, answer p99 {Change(on.AnswerP99, answer)} ({on.AnswerP99:0.00} vs {answer:0.00} ms), delivered p99 {Change(on.DeliveredP99, delivered)} ({on.DeliveredP99:0.00} vs {delivered:0.00} ms)"));
    }

    /// <summary>One run's figures, for the off/on comparison.</summary>
    public sealed record RunSummary(string Title, double Throughput, double AnswerP99, double DeliveredP99);

    /// <summary>What watching the platform adds (--monitoring on): OTLP export to a sink, scrapes of /metrics every 5 s, the monitoring service.</summary>
    private sealed record MonitoringSetup(TimeSpan ScrapeEvery)
    {
        public static readonly MonitoringSetup Full = new(TimeSpan.FromSeconds(5));
    }

    private static async Task<(string? PersonJson, byte[]? EventBody, IReadOnlyList<RunSummary> Runs)> RegistryAsync(
        string server, string database, Uri vhost, string? servicesBin, IReadOnlyList<string> extraEnv, double rate, int seconds, int warmup, double warmupRate,
        double updates, TimeSpan drain, bool spin, IReadOnlyList<int> clients, MonitoringSetup? monitoring, int firstPerson = 0)
    {
        await using var recorder = await DeliveryRecorder.StartAsync(vhost, PersonChangedExchange, DeliveryRecorder.CommandIdOfEnvelope);
        var port = ServiceProcess.FreePort();
        // A sink for OTLP (reads each export, keeps nothing) with the exporters' default intervals, as a collector would be used.
        await using var sink = monitoring is null ? null : await PopInfo.Testing.OtlpReceiver.StartAsync(keep: false);
        var otlp = sink is null ? [] : new[] { $"OTEL_EXPORTER_OTLP_ENDPOINT={sink.Endpoint.ToString().TrimEnd('/')}", "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf" };
        var environment = DistributedEnvironment(port, database, vhost, [.. extraEnv, .. otlp]);
        var dll = ServiceLocator.Find("PopInfo.Registry", servicesBin);
        var extraConnection = new Npgsql.NpgsqlConnectionStringBuilder(database);
        extraConnection.Remove("Host");
        extraConnection.Remove("Port");
        extraConnection.Remove("Username");
        extraConnection.Remove("Password");
        extraConnection.Remove("Database");
        Console.WriteLine($"\n-- registry: dotnet {dll} on port {port} (distributed: PostgreSQL + RabbitMQ){Extra(extraEnv)}{(extraConnection.Count > 0 ? ", connection string with " + extraConnection.ConnectionString : "")}");
        await using var registry = ServiceProcess.Start("registry", dll, environment);
        var started = Latencies.Now;
        await registry.WaitReadyAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), TimeSpan.FromSeconds(90));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   ready in {Latencies.Ms(started, Latencies.Now) / 1000:0.0} s, pid {registry.Pid}, log {registry.LogPath}; {registry.Memory()}"));

        await using var monitor = monitoring is null ? null : await StartMonitoringAsync(database, vhost, servicesBin, port, [.. extraEnv, .. otlp]);
        await using var scraper = monitoring is null || monitor is null ? null
            : PopInfo.Testing.MetricsScraper.Start([new Uri($"http://127.0.0.1:{port}"), monitor.BaseAddress], monitoring.ScrapeEvery);
        if (scraper is not null)
        {
            var sampler = extraEnv.Where(e => e.StartsWith("OTEL_TRACES_SAMPLER", StringComparison.Ordinal)).ToList();
            Console.WriteLine($"   monitoring on: OTLP to a sink at {sink!.Endpoint}, /metrics of the registry and the monitoring service (pid {monitor!.Process.Pid}) scraped every {monitoring!.ScrapeEvery.TotalSeconds:0} s; " +
                $"traces sampled by {(sampler.Count == 0 ? $"the platform's default (ratio {ServiceDefaults.TraceSampling.DefaultRatio.ToString(CultureInfo.InvariantCulture)})" : string.Join(", ", sampler))}");
        }

        using var http = CreateHttpClient(new Uri($"http://127.0.0.1:{port}"));
        // The passes follow one another on the same database: each registers people of its own (identity numbers from 1950,
        // 1977 and 2004 on).
        var workload = new RegistryWorkload(http, new PersonFactory(firstIndex: firstPerson), updates);
        await WarmUpAsync(workload, warmupRate, warmup, spin);
        await Task.Delay(2000);
        Console.WriteLine($"   after warm-up: {registry.Memory()}");

        var summaries = new List<RunSummary>();
        foreach (var run in clients.Count == 0 ? [0] : clients)
        {
            var meter = new BusyMeter();
            await using var waits = new PostgresWaits(server, new Npgsql.NpgsqlConnectionStringBuilder(database).Database!, "popinfo-registry");
            var cpuBefore = registry.ProcessorTime();
            var result = run == 0
                ? await Drive.OpenLoopAsync($"registry open loop {rate}/s", workload, rate, TimeSpan.FromSeconds(seconds), spin)
                : await Drive.ClosedLoopAsync($"registry closed loop, {run} clients", workload, run, TimeSpan.FromSeconds(seconds));
            var cpu = registry.ProcessorTime() - cpuBefore;
            var waitReport = await waits.ReportAsync();
            var (delivered, drained) = await Drive.CollectDeliveriesAsync(result, recorder, drain);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\n[{result.Title}] {(run == 0 ? $"{rate}/s for {seconds} s, {updates:P0} corrections" : $"{seconds} s, {updates:P0} corrections")}"));
            Console.WriteLine(Drive.Report(result, delivered, drained, openLoop: run == 0));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  registry process: {cpu.TotalSeconds / result.Seconds * 100:0}% of one core during the run; {registry.Memory()}"));
            Console.WriteLine($"  raw consumer: {recorder.Deliveries} deliveries in all, {recorder.Repeats} repeats, {recorder.Unknown} not from this run");
            Console.WriteLine(waitReport);
            Console.WriteLine(meter.Report());
            summaries.Add(Summarise(result));
        }

        if (scraper is not null)
        {
            Console.WriteLine($"  monitoring: {scraper.Scrapes} scrapes ({scraper.Bytes / 1024} KiB), {scraper.Failures} failed; {sink!.Exports} OTLP exports received");
            // What the monitoring service saw meanwhile: its latest samples (proof that it watched, not only ran).
            using var operatorHttp = new HttpClient { BaseAddress = monitor!.BaseAddress };
            operatorHttp.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                PopInfo.Testing.TestIssuer.Shared.Token([], "popinfo-monitor-page", "bench-operator", "operator", audiences: [PlatformScopes.Audience("monitoring")]));
            var flow = System.Text.Json.Nodes.JsonNode.Parse(await operatorHttp.GetStringAsync("/api/v1/flow"))!;
            var latest = flow["latest"]!.AsObject();
            Console.WriteLine($"  the monitoring service's latest samples: {latest.Count} metrics, registry relay backlog {flow["registryRelayBacklog"]}, " +
                $"last sequence {flow["registryLastSequence"]}, registry ready {latest["service.ready"]?["registry"]}, leads {flow["thisInstanceLeads"]}");
        }

        return (workload.LastPersonJson, recorder.LastBody, summaries);
    }

    private static RunSummary Summarise(Run run)
    {
        var ok = run.Samples.Where(x => x.Ok).ToList();
        var lastAnswer = ok.Select(x => x.Answered).DefaultIfEmpty(run.End).Max();
        return new RunSummary(run.Title, ok.Count / Math.Max(run.Seconds, Latencies.Ms(run.Start, lastAnswer) / 1000),
            Latencies.Percentile(ok.Select(x => Latencies.Ms(x.Due, x.Answered)), 99),
            Latencies.Percentile(ok.Where(x => x.Delivered > 0).Select(x => Latencies.Ms(x.Due, x.Delivered)), 99));
    }

    /// <summary>
    /// The monitoring service as its own process beside the registry, on the same database and virtual host, watching what a
    /// deployment's would (its default sample interval): the registry's health and relay status, the broker's management API
    /// and PostgreSQL's statistics.
    /// </summary>
    private static async Task<MonitorProcess> StartMonitoringAsync(string database, Uri vhost, string? servicesBin, int registryPort, IReadOnlyList<string> extraEnv)
    {
        var port = ServiceProcess.FreePort();
        var dll = ServiceLocator.Find("PopInfo.Monitoring", servicesBin);
        var credentials = Uri.UnescapeDataString(vhost.UserInfo).Split(':', 2);
        var watching = new List<string>(extraEnv)
        {
            $"PopInfo__Monitoring__Services__registry=http://127.0.0.1:{registryPort}/",
            "PopInfo__Monitoring__BrokerManagementUrl=" + (Environment.GetEnvironmentVariable("POPINFO_TEST_RABBITMQ_MANAGEMENT") ?? "http://127.0.0.1:15672"),
            "PopInfo__Monitoring__BrokerUser=" + credentials[0],
            "PopInfo__Monitoring__BrokerPassword=" + (credentials.Length > 1 ? credentials[1] : ""),
            "PopInfo__Monitoring__DatabaseConnectionString=" + new Npgsql.NpgsqlConnectionStringBuilder(database) { Database = "postgres" }.ConnectionString,
        };
        var process = ServiceProcess.Start("monitoring", dll, DistributedEnvironment(port, database, vhost, watching));
        var address = new Uri($"http://127.0.0.1:{port}");
        await process.WaitReadyAsync(new Uri(address, "/health/ready"), TimeSpan.FromSeconds(90));
        return new MonitorProcess(process, address);
    }

    private sealed record MonitorProcess(ServiceProcess Process, Uri BaseAddress) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }

    private static async Task RawAsync(string database, Uri vhost, string? personJson, byte[]? eventBody, double rate, int seconds, int warmup, double warmupRate,
        TimeSpan drain, bool spin, IReadOnlyList<int> clients)
    {
        // Without a registry run to copy from, records and messages of the registry's usual size.
        personJson ??= "{\"personId\":\"0198f0c2-6a3e-7c59-9b5d-3f1e2a4b5c6d\",\"idNumber\":\"320205195001010010\",\"name\":\"张伟\",\"sex\":\"1\",\"birthDate\":\"1950-01-01\",\"ethnicity\":\"01\",\"maritalStatus\":\"20\",\"education\":\"60\",\"occupation\":\"软件工程师\",\"phone\":\"13912345678\",\"registeredAddress\":\"东亭街道春华路1号\",\"registeredRegionCode\":\"320205001001\",\"residenceAddress\":\"东亭街道春华路1号\",\"residenceRegionCode\":\"320205001001\",\"residenceType\":\"registered\",\"status\":\"living\"}";
        eventBody ??= Encoding.UTF8.GetBytes(new string('x', 1536));
        await using var recorder = await DeliveryRecorder.StartAsync(vhost, RawWorkload.Exchange, DeliveryRecorder.MessageIdOf);
        await using var workload = await RawWorkload.CreateAsync(database, vhost, personJson, eventBody);
        Console.WriteLine($"\n-- raw baseline: Npgsql INSERT of one row (jsonb record {workload.RecordBytes} B, unique id_number index) + COMMIT, " +
            $"then RabbitMQ.Client publish with confirms of a persistent {workload.MessageBytes} B message to fanout '{RawWorkload.Exchange}' (1 durable queue)");
        await WarmUpAsync(workload, warmupRate, warmup, spin);
        await Task.Delay(1000);

        foreach (var run in clients.Count == 0 ? [0] : clients)
        {
            var meter = new BusyMeter();
            var result = run == 0
                ? await Drive.OpenLoopAsync($"raw open loop {rate}/s", workload, rate, TimeSpan.FromSeconds(seconds), spin)
                : await Drive.ClosedLoopAsync($"raw closed loop, {run} clients", workload, run, TimeSpan.FromSeconds(seconds));
            var (delivered, drained) = await Drive.CollectDeliveriesAsync(result, recorder, drain);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\n[{result.Title}] {(run == 0 ? $"{rate}/s for {seconds} s" : $"{seconds} s")}"));
            Console.WriteLine(Drive.Report(result, delivered, drained, openLoop: run == 0));
            Console.WriteLine(meter.Report());
        }
    }

    private static async Task WarmUpAsync(IWorkload workload, double rate, int seconds, bool spin)
    {
        if (seconds <= 0)
        {
            return;
        }

        var run = await Drive.OpenLoopAsync("warm-up", workload, rate, TimeSpan.FromSeconds(seconds), spin);
        var errors = run.Samples.Where(s => !s.Ok).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   warm-up: {run.Samples.Count} at {rate}/s for {seconds} s, {errors.Count} errors{(errors.Count > 0 ? ": " + errors[0].Error : "")}"));
    }

    /// <summary>
    /// What deploy/local/up.sh gives a service, on a port of its own and the run's database and virtual host, but as the
    /// benchmark server's superuser (AllowSuperuser) instead of up.sh's per-service roles.
    /// </summary>
    public static Dictionary<string, string> DistributedEnvironment(int port, string database, Uri vhost, IReadOnlyList<string> extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["PopInfo__Mode"] = "Distributed",
            ["PopInfo__Database__Provider"] = "PostgreSql",
            ["PopInfo__Database__ConnectionString"] = database,
            ["PopInfo__Database__AllowSuperuser"] = "true",
            ["PopInfo__Bus__Transport"] = "RabbitMq",
            ["PopInfo__Bus__RabbitMqUri"] = vhost.ToString(),
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
        };
        foreach (var pair in extra)
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new ArgumentException($"Expected KEY=VALUE, got '{pair}'.");
            }

            environment[pair[..at]] = pair[(at + 1)..];
        }

        return environment;
    }

    public static string Extra(IReadOnlyList<string> extraEnv) => extraEnv.Count == 0 ? "" : ", with " + string.Join(' ', extraEnv);

    /// <summary>A client acting as a platform service with both of the register's scopes (a token of the tests' issuer).</summary>
    public static HttpClient CreateHttpClient(Uri baseAddress)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = 512,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PopInfo.Testing.TestIssuer.Shared.RegistryToken());
        return client;
    }
}
