using System.Globalization;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Benchmarks;

/// <summary>
/// What watching the platform adds (--monitoring): OTLP export to a sink, scrapes of /metrics every <see cref="ScrapeEvery"/>,
/// the monitoring service. --watching names a part of them (otlp, scrapes, service), to find which part costs what, or
/// "none": with --monitoring paired, two unwatched registries side by side (an A/A run: what the pair differs by alone).
/// </summary>
public sealed record MonitoringSetup(TimeSpan ScrapeEvery, bool Otlp, bool Scrapes, bool Service)
{
    public static readonly MonitoringSetup Full = new(TimeSpan.FromSeconds(5), Otlp: true, Scrapes: true, Service: true);

    public static MonitoringSetup Parse(string watching)
    {
        var parts = watching.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        if (parts.SetEquals(["none"]))
        {
            return Full with { Otlp = false, Scrapes = false, Service = false };
        }

        var unknown = parts.Except(["otlp", "scrapes", "service"]).ToList();
        if (unknown.Count > 0 || parts.Count == 0)
        {
            throw new ArgumentException($"--watching lists otlp, scrapes and/or service, or is none; not '{watching}'.");
        }

        return Full with { Otlp = parts.Contains("otlp"), Scrapes = parts.Contains("scrapes"), Service = parts.Contains("service") };
    }

    public override string ToString() => !Otlp && !Scrapes && !Service ? "nothing (--watching none)" :
        string.Join(", ", new[] { Otlp ? "OTLP export" : null, Scrapes ? $"/metrics scraped every {ScrapeEvery.TotalSeconds:0} s" : null, Service ? "the monitoring service" : null }.OfType<string>());
}

/// <summary>
/// One registry process for change-latency, on its own database and virtual host, with a raw consumer of its events and,
/// when monitored, what watching it adds: an OTLP sink, the monitoring service as its own process and a /metrics scraper.
/// Started, then driven by <see cref="RunAsync"/> as often as needed (two of them at once for --monitoring paired).
/// </summary>
public sealed class RegistryUnderTest : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> parts = [];

    private RegistryUnderTest(string label, string server, string database)
    {
        Label = label;
        Server = server;
        Database = database;
    }

    public string Label { get; }

    public string Server { get; }

    public string Database { get; }

    public ServiceProcess Registry { get; private set; } = null!;

    public DeliveryRecorder Recorder { get; private set; } = null!;

    public RegistryWorkload Workload { get; private set; } = null!;

    public bool Monitored => Setup is not null;

    private MonitoringSetup? Setup { get; set; }

    private OtlpReceiver? Sink { get; set; }

    private ServiceProcess? Monitor { get; set; }

    private Uri? MonitorAddress { get; set; }

    private MetricsScraper? Scraper { get; set; }

    private HttpClient Http { get; set; } = null!;

    public static async Task<RegistryUnderTest> StartAsync(string label, string server, string database, Uri vhost, string? servicesBin,
        IReadOnlyList<string> extraEnv, double updates, MonitoringSetup? monitoring, int firstPerson)
    {
        var under = new RegistryUnderTest(label, server, database);
        try
        {
            await under.StartPartsAsync(vhost, servicesBin, extraEnv, updates, monitoring, firstPerson);
            return under;
        }
        catch
        {
            await under.DisposeAsync();
            throw;
        }
    }

    private async Task StartPartsAsync(Uri vhost, string? servicesBin, IReadOnlyList<string> extraEnv, double updates, MonitoringSetup? monitoring, int firstPerson)
    {
        Recorder = Own(await DeliveryRecorder.StartAsync(vhost, ChangeLatency.PersonChangedExchange, DeliveryRecorder.CommandIdOfEnvelope));
        var port = ServiceProcess.FreePort();
        // A sink for OTLP (reads each export, keeps nothing) with the exporters' default intervals, as a collector would be used.
        Setup = monitoring;
        Sink = monitoring is { Otlp: true } ? Own(await OtlpReceiver.StartAsync(keep: false)) : null;
        var otlp = Sink is null ? [] : new[] { $"OTEL_EXPORTER_OTLP_ENDPOINT={Sink.Endpoint.ToString().TrimEnd('/')}", "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf" };
        var environment = ChangeLatency.DistributedEnvironment(port, Database, vhost, [.. extraEnv, .. otlp]);
        var dll = ServiceLocator.Find("PopInfo.Registry", servicesBin);
        var extraConnection = new Npgsql.NpgsqlConnectionStringBuilder(Database);
        foreach (var key in new[] { "Host", "Port", "Username", "Password", "Database" })
        {
            extraConnection.Remove(key);
        }

        Console.WriteLine($"\n-- registry{(Label.Length > 0 ? $" ({Label})" : "")}: dotnet {dll} on port {port} (distributed: PostgreSQL + RabbitMQ){ChangeLatency.Extra(extraEnv)}" +
            $"{(extraConnection.Count > 0 ? ", connection string with " + extraConnection.ConnectionString : "")}");
        Registry = Own(ServiceProcess.Start("registry", dll, environment));
        var started = Latencies.Now;
        await Registry.WaitReadyAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), TimeSpan.FromSeconds(90));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   ready in {Latencies.Ms(started, Latencies.Now) / 1000:0.0} s, pid {Registry.Pid}, log {Registry.LogPath}; {Registry.Memory()}"));

        if (monitoring is not null)
        {
            if (monitoring.Service)
            {
                MonitorAddress = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}");
                Monitor = Own(await StartMonitoringAsync(vhost, servicesBin, port, MonitorAddress, [.. extraEnv, .. otlp]));
            }

            if (monitoring.Scrapes)
            {
                Scraper = Own(MetricsScraper.Start(MonitorAddress is null ? [new Uri($"http://127.0.0.1:{port}")] : [new Uri($"http://127.0.0.1:{port}"), MonitorAddress], monitoring.ScrapeEvery));
            }

            var sampler = extraEnv.Where(e => e.StartsWith("OTEL_TRACES_SAMPLER", StringComparison.Ordinal)).ToList();
            Console.WriteLine($"   monitoring on: {monitoring}{(Sink is null ? "" : $" (OTLP sink {Sink.Endpoint})")}{(Monitor is null ? "" : $" (monitoring pid {Monitor.Pid})")}; traces sampled by " +
                (sampler.Count == 0 ? $"the platform's default (ratio {ServiceDefaults.TraceSampling.DefaultRatio.ToString(CultureInfo.InvariantCulture)})" : string.Join(", ", sampler)));
        }

        Http = ChangeLatency.CreateHttpClient(new Uri($"http://127.0.0.1:{port}"));
        // Runs that follow one another on one database register people of their own (identity numbers from 1950, 1977, 2004 on).
        Workload = new RegistryWorkload(Http, new PersonFactory(firstIndex: firstPerson), updates);
    }

    /// <summary>One load run (open loop at <paramref name="rate"/>, or a closed loop of <paramref name="clients"/>), its report and summary.</summary>
    public async Task<(string Report, ChangeLatency.RunSummary Summary)> RunAsync(double rate, int clients, int seconds, double updates, TimeSpan drain, bool spin)
    {
        var title = $"registry{(Label.Length > 0 ? $" ({Label})" : "")} {(clients == 0 ? $"open loop {rate}/s" : $"closed loop, {clients} clients")}";
        await using var waits = new PostgresWaits(Server, new Npgsql.NpgsqlConnectionStringBuilder(Database).Database!, "popinfo-registry");
        var cpuBefore = Registry.ProcessorTime();
        var monitorCpuBefore = Monitor?.ProcessorTime();
        var result = clients == 0
            ? await Drive.OpenLoopAsync(title, Workload, rate, TimeSpan.FromSeconds(seconds), spin)
            : await Drive.ClosedLoopAsync(title, Workload, clients, TimeSpan.FromSeconds(seconds));
        var cpu = Registry.ProcessorTime() - cpuBefore;
        var monitorCpu = Monitor?.ProcessorTime() - monitorCpuBefore;
        var waitReport = await waits.ReportAsync();
        var (delivered, drained) = await Drive.CollectDeliveriesAsync(result, Recorder, drain);
        var report = new System.Text.StringBuilder();
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"\n[{result.Title}] {(clients == 0 ? $"{rate}/s for {seconds} s, {updates:P0} corrections" : $"{seconds} s, {updates:P0} corrections")}"));
        report.AppendLine(Drive.Report(result, delivered, drained, openLoop: clients == 0));
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"  registry process: {cpu.TotalSeconds / result.Seconds * 100:0}% of one core during the run; {Registry.Memory()}"));
        if (monitorCpu is { } watcher)
        {
            report.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  monitoring process: {watcher.TotalSeconds / result.Seconds * 100:0.0}% of one core during the run"));
        }

        report.AppendLine($"  raw consumer: {Recorder.Deliveries} deliveries in all, {Recorder.Repeats} repeats, {Recorder.Unknown} not from this run");
        report.Append(waitReport);
        return (report.ToString(), Summarise(result, cpu.TotalSeconds / result.Seconds * 100));
    }

    /// <summary>What the watching parts did meanwhile, and what the monitoring service saw (proof that it watched, not only ran).</summary>
    public async Task<string> MonitoringReportAsync()
    {
        if (Setup is null)
        {
            return "";
        }

        var report = $"  monitoring: {(Scraper is null ? "no scrapes" : $"{Scraper.Scrapes} scrapes ({Scraper.Bytes / 1024} KiB), {Scraper.Failures} failed")}; " +
            $"{(Sink is null ? "no OTLP" : $"{Sink.Exports} OTLP exports received")}";
        if (Monitor is null)
        {
            return report;
        }

        using var operatorHttp = new HttpClient { BaseAddress = MonitorAddress };
        operatorHttp.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token([], "popinfo-monitor-page", "bench-operator", "operator", audiences: [PlatformScopes.Audience("monitoring")]));
        var flow = System.Text.Json.Nodes.JsonNode.Parse(await operatorHttp.GetStringAsync("/api/v1/flow"))!;
        var latest = flow["latest"]!.AsObject();
        return report + $"; monitoring process {Monitor.Memory()}\n" +
            $"  the monitoring service's latest samples: {latest.Count} metrics, registry relay backlog {flow["registryRelayBacklog"]}, " +
            $"last sequence {flow["registryLastSequence"]}, registry ready {latest["service.ready"]?["registry"]}, leads {flow["thisInstanceLeads"]}";
    }

    private static ChangeLatency.RunSummary Summarise(Run run, double cpuPercent)
    {
        var ok = run.Samples.Where(x => x.Ok).ToList();
        var lastAnswer = ok.Select(x => x.Answered).DefaultIfEmpty(run.End).Max();
        return new ChangeLatency.RunSummary(run.Title, ok.Count / Math.Max(run.Seconds, Latencies.Ms(run.Start, lastAnswer) / 1000),
            Latencies.Percentile(ok.Select(x => Latencies.Ms(x.Due, x.Answered)), 50),
            Latencies.Percentile(ok.Select(x => Latencies.Ms(x.Due, x.Answered)), 99),
            Latencies.Percentile(ok.Where(x => x.Delivered > 0).Select(x => Latencies.Ms(x.Due, x.Delivered)), 99),
            cpuPercent);
    }

    /// <summary>
    /// The monitoring service as its own process beside the registry, on the same database and virtual host, watching what a
    /// deployment's would (its default sample interval): the registry's health and relay status, the broker's management API
    /// and PostgreSQL's statistics.
    /// </summary>
    private async Task<ServiceProcess> StartMonitoringAsync(Uri vhost, string? servicesBin, int registryPort, Uri address, IReadOnlyList<string> extraEnv)
    {
        var dll = ServiceLocator.Find("PopInfo.Monitoring", servicesBin);
        var credentials = Uri.UnescapeDataString(vhost.UserInfo).Split(':', 2);
        var watching = new List<string>(extraEnv)
        {
            $"PopInfo__Monitoring__Services__registry=http://127.0.0.1:{registryPort}/",
            "PopInfo__Monitoring__BrokerManagementUrl=" + (Environment.GetEnvironmentVariable("POPINFO_TEST_RABBITMQ_MANAGEMENT") ?? "http://127.0.0.1:15672"),
            "PopInfo__Monitoring__BrokerUser=" + credentials[0],
            "PopInfo__Monitoring__BrokerPassword=" + (credentials.Length > 1 ? credentials[1] : ""),
            "PopInfo__Monitoring__DatabaseConnectionString=" + new Npgsql.NpgsqlConnectionStringBuilder(Database) { Database = "postgres" }.ConnectionString,
        };
        var process = ServiceProcess.Start("monitoring", dll, ChangeLatency.DistributedEnvironment(address.Port, Database, vhost, watching));
        await process.WaitReadyAsync(new Uri(address, "/health/ready"), TimeSpan.FromSeconds(90));
        return process;
    }

    private T Own<T>(T part)
        where T : IAsyncDisposable
    {
        parts.Add(part);
        return part;
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        for (var i = parts.Count - 1; i >= 0; i--)
        {
            await parts[i].DisposeAsync();
        }
    }
}
