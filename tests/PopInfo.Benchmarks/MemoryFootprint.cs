using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace PopInfo.Benchmarks;

/// <summary>
/// memory: every service as its own process in distributed mode, then the embedded host; VmRSS and VmHWM
/// from /proc/&lt;pid&gt;/status when ready, after an idle spell, after a light load and after settling.
/// </summary>
public static class MemoryFootprint
{
    private const double ServiceTargetMb = 150;
    private const double HostTargetMb = 500;
    private static readonly string[] AllServices = ["registry", "collection", "exchange", "sharing", "analytics", "monitoring"];
    private static readonly int[] HostPorts = [5100, 5101, 5102, 5103, 5104, 5105, 5106];

    public static async Task RunAsync(Options options)
    {
        var services = options.Words("services", string.Join(',', AllServices));
        var idle = options.Whole("idle", 60);
        var rate = options.Number("rate", 200);
        var loadSeconds = options.Whole("load-seconds", 60);
        var loadClients = options.Whole("load-clients", 0);
        var settle = options.Whole("settle", 10);
        var env = options.All("env");
        var skipServices = options.Flag("skip-services");
        var skipHost = options.Flag("skip-host");
        var hostDataDir = options.OptionalString("host-data-dir");
        var lookupRate = options.Number("lookup-rate", 500);
        var lookupSeconds = options.Whole("lookup-seconds", 60);
        var servicesBin = options.OptionalString("services-bin");
        using var infrastructure = Infrastructure.FromOptions(options);
        options.RejectUnknown();
        await Cli.PrintHeaderAsync("memory", options, infrastructure);

        if (!skipServices)
        {
            await ServicesAsync(infrastructure, services, servicesBin, env, idle, rate, loadClients, loadSeconds, settle);
        }

        if (!skipHost)
        {
            await HostAsync(servicesBin, env, hostDataDir, idle, rate, loadSeconds, settle, lookupRate, lookupSeconds);
        }
    }

    private static async Task ServicesAsync(Infrastructure infrastructure, IReadOnlyList<string> names, string? servicesBin,
        IReadOnlyList<string> env, int idle, double rate, int loadClients, int loadSeconds, int settle)
    {
        var database = await infrastructure.CreateDatabaseAsync();
        var vhost = await infrastructure.CreateVirtualHostAsync();
        var processes = new List<(string Name, ServiceProcess Process, int Port)>();
        var table = new Dictionary<string, List<ProcessMemory>>();
        try
        {
            Console.WriteLine($"\n-- services, each its own process (distributed: database {new Npgsql.NpgsqlConnectionStringBuilder(database).Database}, vhost {vhost.AbsolutePath}){ChangeLatency.Extra(env)}");
            foreach (var name in names)
            {
                var project = "PopInfo." + char.ToUpperInvariant(name[0]) + name[1..];
                var port = ServiceProcess.FreePort();
                var dll = ServiceLocator.Find(project, servicesBin);
                processes.Add((name, ServiceProcess.Start(name, dll, ChangeLatency.DistributedEnvironment(port, database, vhost, env)), port));
                Console.WriteLine($"   {name}: dotnet {dll}, port {port}, pid {processes[^1].Process.Pid}");
            }

            foreach (var (name, process, port) in processes)
            {
                await process.WaitReadyAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), TimeSpan.FromSeconds(120));
            }

            void Sample(string phase)
            {
                foreach (var (name, process, _) in processes)
                {
                    if (!table.TryGetValue(name, out var list))
                    {
                        table[name] = list = [];
                    }

                    list.Add(process.Memory());
                }

                Console.WriteLine($"   sampled: {phase} ({Machine.LoadAverage()})");
            }

            Sample("ready");
            await Task.Delay(TimeSpan.FromSeconds(idle));
            Sample($"after {idle} s idle");

            var meter = new BusyMeter();
            using var stop = new CancellationTokenSource();
            var pokes = processes.Where(p => p.Name != "registry").Select(p => PokeAsync(p.Port, 10, stop.Token)).ToList();
            var registry = processes.FirstOrDefault(p => p.Name == "registry");
            if (registry.Process is not null)
            {
                await using var recorder = await DeliveryRecorder.StartAsync(vhost, ChangeLatency.PersonChangedExchange, DeliveryRecorder.CommandIdOfEnvelope);
                using var http = ChangeLatency.CreateHttpClient(new Uri($"http://127.0.0.1:{registry.Port}"));
                var workload = new RegistryWorkload(http, new PersonFactory(), 0.2);
                var run = loadClients > 0
                    ? await Drive.ClosedLoopAsync("load", workload, loadClients, TimeSpan.FromSeconds(loadSeconds))
                    : await Drive.OpenLoopAsync("load", workload, rate, TimeSpan.FromSeconds(loadSeconds), spin: false);
                var (delivered, _) = await Drive.CollectDeliveriesAsync(run, recorder, TimeSpan.FromSeconds(30));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"   load: registry {(loadClients > 0 ? $"closed loop, {loadClients} clients ({run.Samples.Count / run.Seconds:0}/s)" : $"{rate}/s")} for {loadSeconds} s (20% corrections): {run.Samples.Count(s => s.Ok)}/{run.Samples.Count} ok, {delivered} delivered, answer p99 {Latencies.Percentile(run.Samples.Where(s => s.Ok).Select(s => Latencies.Ms(s.Due, s.Answered)), 99):0.0} ms; others: GET /api/v1/service and /health/ready 10/s each"));
            }
            else
            {
                await Task.Delay(TimeSpan.FromSeconds(loadSeconds));
            }

            await stop.CancelAsync();
            await Task.WhenAll(pokes);
            Sample("after the load");
            Console.WriteLine(meter.Report());
            await Task.Delay(TimeSpan.FromSeconds(settle));
            Sample($"after {settle} s settling");

            Console.WriteLine(Table(table, ["ready", $"idle {idle}s", "after load", "settled"], ServiceTargetMb));
        }
        finally
        {
            foreach (var (_, process, _) in processes)
            {
                await process.DisposeAsync();
            }

            await infrastructure.DeleteVirtualHostAsync(vhost);
            await infrastructure.DropDatabaseAsync(database);
        }
    }

    private static async Task HostAsync(string? servicesBin, IReadOnlyList<string> env, string? dataDir, int idle, double rate, int loadSeconds,
        int settle, double lookupRate, int lookupSeconds)
    {
        var busy = HostPorts.Where(ServiceProcess.PortInUse).ToList();
        if (busy.Count > 0)
        {
            Console.WriteLine($"\n-- embedded host: SKIPPED, its fixed ports {string.Join(", ", busy)} are in use on 127.0.0.1 (another host is running). " +
                "Run this part alone in a network namespace of its own: unshare -n sh -c 'ip link set lo up && dotnet PopInfo.Benchmarks.dll memory --skip-services'");
            return;
        }

        var fresh = dataDir is null;
        dataDir ??= Path.Combine(Path.GetTempPath(), "popinfo-bench-host-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDir);
        var registryDb = Path.Combine(dataDir, "registry.db");
        var before = File.Exists(registryDb) ? CountPersons(registryDb) : 0;
        var environment = new Dictionary<string, string>
        {
            ["PopInfo__Database__DataDirectory"] = Path.GetFullPath(dataDir),
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
        };
        foreach (var (key, value) in ChangeLatency.DistributedEnvironment(0, "", new Uri("amqp://unused/"), env).Where(e => env.Any(x => x.StartsWith(e.Key + "=", StringComparison.Ordinal))))
        {
            environment[key] = value;
        }

        var dll = ServiceLocator.Find("PopInfo.Host", servicesBin);
        Console.WriteLine($"\n-- embedded host: dotnet {dll} (SQLite in {dataDir}{(fresh ? ", fresh" : "")}, {before:N0} persons at start; in-memory bus){ChangeLatency.Extra(env)}");
        var memory = new Dictionary<string, List<ProcessMemory>> { ["host"] = [] };
        await using var host = ServiceProcess.Start("host", dll, environment);
        var started = Latencies.Now;
        await host.WaitReadyAsync(new Uri("http://127.0.0.1:5100/health/ready"), TimeSpan.FromSeconds(180));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   ready in {Latencies.Ms(started, Latencies.Now) / 1000:0.0} s, pid {host.Pid}, log {host.LogPath}"));
        memory["host"].Add(host.Memory());
        await Task.Delay(TimeSpan.FromSeconds(idle));
        memory["host"].Add(host.Memory());

        using var http = ChangeLatency.CreateHttpClient(new Uri("http://127.0.0.1:5101"));
        var meter = new BusyMeter();
        // In a folder holding someone else's people (a synthetic city), births in 1890–1892: nobody generated is that old.
        var people = fresh ? new PersonFactory() : new PersonFactory(firstBirth: new DateOnly(1890, 1, 1));
        var changes = await Drive.OpenLoopAsync("host changes", new RegistryWorkload(http, people, 0.2), rate, TimeSpan.FromSeconds(loadSeconds), spin: false);
        Console.WriteLine($"   changes: {rate}/s for {loadSeconds} s (20% corrections) on the host's registry (SQLite, in-memory bus)");
        Console.WriteLine(Drive.Report(changes, 0, 0, openLoop: true).Split(Environment.NewLine).Where(l => !l.Contains("publish", StringComparison.Ordinal) && !l.Contains("delivered", StringComparison.Ordinal)).Aggregate(new StringBuilder(), (b, l) => b.AppendLine(l)).ToString().TrimEnd());
        Console.WriteLine(meter.Report());
        memory["host"].Add(host.Memory());

        var ids = SampleIdNumbers(registryDb, 20_000);
        var lookups = new LookupWorkload(http, ids);
        meter = new BusyMeter();
        var reads = await Drive.OpenLoopAsync("host look-ups", lookups, lookupRate, TimeSpan.FromSeconds(lookupSeconds), spin: false);
        var found = reads.Samples.Count(s => s.Ok);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   look-ups by identity number: {lookupRate}/s for {lookupSeconds} s over {ids.Count:N0} numbers sampled from {CountPersons(registryDb):N0} persons: {found}/{reads.Samples.Count} found"));
        Console.WriteLine("   answer (scheduled → 200 read)         " + Latencies.Summary(reads.Samples.Where(s => s.Ok).Select(s => Latencies.Ms(s.Due, s.Answered))));
        foreach (var error in reads.Samples.Where(s => !s.Ok).GroupBy(s => s.Error).Take(3))
        {
            Console.WriteLine($"     error x{error.Count()}: {error.Key}");
        }

        Console.WriteLine(meter.Report());
        memory["host"].Add(host.Memory());
        await Task.Delay(TimeSpan.FromSeconds(settle));
        memory["host"].Add(host.Memory());
        Console.WriteLine(Table(memory, ["ready", $"idle {idle}s", "after changes", "after look-ups", "settled"], HostTargetMb));
        Console.WriteLine($"   database files: {string.Join(", ", Directory.EnumerateFiles(dataDir).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length / 1048576.0:0.0} MB"))}");
        if (fresh)
        {
            await host.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static string Table(Dictionary<string, List<ProcessMemory>> samples, string[] phases, double targetMb)
    {
        var text = new StringBuilder();
        text.AppendLine($"\n   VmRSS MB by phase ({string.Join(" | ", phases)}), then VmHWM (peak) and the last sample's anon/file/shmem split and PSS; target < {targetMb} MB");
        foreach (var (name, list) in samples)
        {
            var last = list[^1];
            var peakMb = last.HwmKb / 1024.0;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"   {name,-11} {string.Join(" | ", list.Select(m => $"{m.RssKb / 1024.0,6:0.0}"))}   HWM {peakMb,6:0.0}   anon {last.AnonKb / 1024.0,6:0.0} file {last.FileKb / 1024.0,5:0.0} shmem {last.ShmemKb / 1024.0,5:0.0}  PSS {last.PssKb / 1024.0,6:0.0}  threads {last.Threads,3}   {(peakMb < targetMb && list.Max(m => m.RssKb) / 1024.0 < targetMb ? "within" : "OVER")} target"));
        }

        return text.ToString();
    }

    /// <summary>Light load on a skeleton service: its description and readiness, <paramref name="perSecond"/> each.</summary>
    private static async Task PokeAsync(int port, int perSecond, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                using var a = await http.GetAsync("/api/v1/service", ct);
                using var b = await http.GetAsync("/health/ready", ct);
            }
        }
        catch (OperationCanceledException)
        {
            // Load over.
        }
    }

    private static long CountPersons(string registryDb)
    {
        using var connection = new SqliteConnection($"Data Source={registryDb};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM persons";
        return (long)command.ExecuteScalar()!;
    }

    private static List<string> SampleIdNumbers(string registryDb, int count)
    {
        using var connection = new SqliteConnection($"Data Source={registryDb};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id_number FROM persons ORDER BY random() LIMIT $count";
        command.Parameters.AddWithValue("$count", count);
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}

/// <summary>GET /api/v1/persons/by-id-number/{idNumber}, cycling through the given numbers.</summary>
public sealed class LookupWorkload(HttpClient http, IReadOnlyList<string> idNumbers) : IWorkload
{
    private long next = -1;

    public string Name => "lookup";

    public async Task<Sample> ExecuteAsync(long due)
    {
        var idNumber = idNumbers[(int)(Interlocked.Increment(ref next) % idNumbers.Count)];
        var sent = Latencies.Now;
        try
        {
            using var response = await http.GetAsync($"/api/v1/persons/by-id-number/{idNumber}");
            await response.Content.ReadAsByteArrayAsync();
            var ok = response.IsSuccessStatusCode;
            return new Sample("lookup", Guid.Empty, due, sent, Latencies.Now, 0, ok, ok ? null : $"{(int)response.StatusCode}");
        }
        catch (Exception ex)
        {
            return new Sample("lookup", Guid.Empty, due, sent, Latencies.Now, 0, false, ex.GetType().Name + ": " + ex.Message);
        }
    }
}
