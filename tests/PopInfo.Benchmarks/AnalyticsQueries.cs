using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Benchmarks;

/// <summary>
/// analytics: a synthetic city with its history loaded into the registry (the tool, as its own process), then the
/// registry and the analytics service as processes on PostgreSQL + RabbitMQ. Measures the rebuild (snapshot + store +
/// index) and its memory; a named query set over HTTP with protection, each query next to the same figures computed by a
/// direct SQL scan of the registry in the same run; then events applied per second while the registry takes changes at
/// its maximum rate (closed loop), measured in the same run.
/// </summary>
public static class AnalyticsQueries
{
    /// <summary>The named query set: tables of up to four dimensions with filters; the region and date are added per run.</summary>
    private static readonly (string Name, string City, string Community, string Sql)[] Set =
    [
        ("district×sex×residence×band", "rows=district&columns=sex,residenceType,ageBand", "rows=ageBand&columns=sex,residenceType",
            "SELECT substr(residence_region_code, 1, 6), sex, residence_type, LEAST({age} / 5, 20), count(*) FROM {persons} GROUP BY 1, 2, 3, 4"),
        ("band×sex, migrants", "rows=ageBand&columns=sex&filter=residenceType:migrant", "rows=ageBand&columns=sex&filter=residenceType:migrant",
            "SELECT LEAST({age} / 5, 20), sex, count(*) FROM {persons} AND residence_type = 'migrant' GROUP BY 1, 2"),
        ("street×sex×marital, 60+", "rows=street&columns=sex,maritalStatus&filter=ageGroup:60%2B", "rows=maritalStatus&columns=sex&filter=ageGroup:60%2B",
            "SELECT substr(residence_region_code, 1, 9), sex, marital_status, count(*) FROM {persons} AND {age} >= 60 GROUP BY 1, 2, 3"),
        ("community×residence×education, women 15-59", "rows=community&columns=residenceType,education&filter=sex:2&filter=ageGroup:15-59",
            "rows=education&columns=residenceType&filter=sex:2&filter=ageGroup:15-59",
            "SELECT residence_region_code, residence_type, education, count(*) FROM {persons} AND sex = '2' AND {age} BETWEEN 15 AND 59 GROUP BY 1, 2, 3"),
    ];

    public static async Task RunAsync(Options options)
    {
        var people = options.Whole("people", 7_500_000);
        var seed = options.Whole("seed", 42);
        var rounds = options.Whole("rounds", 3);
        var repeats = options.Whole("repeats", 20);
        var sqlRepeats = options.Whole("sql-repeats", 3);
        var streamSeconds = options.Whole("stream-seconds", 30);
        var streamClients = options.Whole("stream-clients", 16);
        var pastDate = options.Text("past", "2023-06-30");
        var existing = options.OptionalString("database");
        var keep = options.Flag("keep");
        var servicesBin = options.OptionalString("services-bin");
        using var infrastructure = Infrastructure.FromOptions(options);
        options.RejectUnknown();
        await Cli.PrintHeaderAsync("analytics", options, infrastructure);

        var database = existing ?? await infrastructure.CreateDatabaseAsync();
        var vhost = await infrastructure.CreateVirtualHostAsync();
        Console.WriteLine($"   database {new NpgsqlConnectionStringBuilder(database).Database}, RabbitMQ virtual host {vhost.AbsolutePath}");
        try
        {
            if (existing is null)
            {
                await LoadCityAsync(database, people, seed, servicesBin);
            }
            else
            {
                // A city loaded by an earlier run (--keep): the analytics service starts from nothing again, so it rebuilds.
                await using var connection = new NpgsqlConnection(database);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand("DROP SCHEMA IF EXISTS analytics CASCADE", connection);
                await drop.ExecuteNonQueryAsync();
            }

            var registryPort = ServiceProcess.FreePort();
            await using var registry = ServiceProcess.Start("registry", ServiceLocator.Find("PopInfo.Registry", servicesBin),
                ChangeLatency.DistributedEnvironment(registryPort, database, vhost, []));
            await registry.WaitReadyAsync(new Uri($"http://127.0.0.1:{registryPort}/health/ready"), TimeSpan.FromSeconds(120));

            var analyticsPort = ServiceProcess.FreePort();
            var environment = ChangeLatency.DistributedEnvironment(analyticsPort, database, vhost,
                [$"PopInfo__Analytics__RegistryUrl=http://127.0.0.1:{registryPort}/", "PopInfo__Analytics__ReconcileInterval=00:00:00",
                 // The query rounds send about a thousand tables in minutes: above a planner's hourly limit.
                 "PopInfo__RateLimits__AnalyticsTables__PermitLimit=1000000"]);
            var started = Stopwatch.StartNew();
            await using var analytics = ServiceProcess.Start("analytics", ServiceLocator.Find("PopInfo.Analytics", servicesBin), environment);
            using var planner = Client(analyticsPort, PlatformScopes.AnalyticsRead);
            var status = await WaitBuiltAsync(planner, analytics, TimeSpan.FromMinutes(30));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\n[rebuild] from start to ready: {started.Elapsed.TotalSeconds:0.0} s (snapshot + store + index); {status["versions"]} versions of {status["persons"]} persons at sequence {status["lowWatermark"]}"));
            Console.WriteLine($"  analytics process after the rebuild: {analytics.Memory()}");
            await Task.Delay(5000);
            Console.WriteLine($"  analytics process 5 s later: {analytics.Memory()}");

            var community = await BusiestCommunityAsync(database);
            var today = ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            for (var round = 1; round <= rounds; round++)
            {
                Console.WriteLine($"\n[queries, round {round} of {rounds}] {Machine.LoadAverage()}");
                foreach (var (region, date) in new[] { ("city", today), ("city", pastDate), (community, today), (community, pastDate) })
                {
                    foreach (var (name, cityQuery, communityQuery, sql) in Set)
                    {
                        var url = region == "city" ? $"/api/v1/tables?{cityQuery}&asOf={date}" : $"/api/v1/tables?{communityQuery}&asOf={date}&region={region}";
                        var service = await TimeHttpAsync(planner, url, repeats);
                        var scan = round == 1 || region == "city" ? await TimeSqlAsync(database, sql, region, date, sqlRepeats) : null;
                        var scanText = scan is { } s
                            ? string.Create(CultureInfo.InvariantCulture, $"   SQL scan median {s.Median,8:0} ms  ({s.Median / Math.Max(service.P50, 0.001),6:0}× the service's p50)")
                            : "";
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  {name,-34} {(region == "city" ? "city" : "community"),-9} {date}  service p50 {service.P50,7:0.0} p95 {service.P95,7:0.0} max {service.Max,7:0.0} ms (in the service p50 {service.ServerP50,5:0.0} p95 {service.ServerP95,5:0.0}){scanText}"));
                    }
                }
            }

            Console.WriteLine($"  analytics process after the queries: {analytics.Memory()}");
            await StreamAsync(registryPort, planner, analytics, streamSeconds, streamClients);
        }
        finally
        {
            if (!keep)
            {
                await infrastructure.DeleteVirtualHostAsync(vhost);
                if (existing is null)
                {
                    await infrastructure.DropDatabaseAsync(database);
                }
            }
        }
    }

    /// <summary>Loads a synthetic city with its history into the registry's database (popinfo-city, as its own process); the sharing benchmark uses it too.</summary>
    internal static async Task LoadCityAsync(string database, int people, int seed, string? servicesBin)
    {
        var tool = ServiceLocator.Find("PopInfo.SyntheticCity", servicesBin, assembly: "popinfo-city");
        var watch = Stopwatch.StartNew();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { tool, "load", "--people", people.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture),
                "--provider", "PostgreSql", "--connection", database, "--quiet" },
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The synthetic city did not load ({process.ExitCode}): {output}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\n[city] {people:N0} people with history loaded in {watch.Elapsed.TotalSeconds:0} s (popinfo-city load)"));
    }

    private static HttpClient Client(int port, string scope)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            PopInfo.Testing.TestIssuer.Shared.Token([scope], lifetime: TimeSpan.FromHours(6)));
        return client;
    }

    private static async Task<JsonObject> WaitBuiltAsync(HttpClient planner, ServiceProcess analytics, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (analytics.HasExited)
            {
                throw new InvalidOperationException($"analytics exited; see {analytics.LogPath}");
            }

            try
            {
                var status = await planner.GetFromJsonAsync<JsonObject>("/api/v1/projection/status");
                if (status is not null && (bool)status["ready"]! && (long)status["lowWatermark"]! >= (long)status["registryLastSequence"]!)
                {
                    return status;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"analytics was not built within {timeout}; see {analytics.LogPath}");
    }

    // The round trip as the planner's client sees it, and the service's own share (its Server-Timing: the count and the
    // query log, before the body is written), so that counting and transport can be told apart.
    private static async Task<(double P50, double P95, double Max, double ServerP50, double ServerP95)> TimeHttpAsync(HttpClient client, string url, int repeats)
    {
        var times = new List<double>();
        var server = new List<double>();
        for (var i = 0; i < repeats + 2; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(url);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
            }

            if (i >= 2)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
                server.Add(ServerDuration(response));
            }
        }

        return (Latencies.Percentile(times, 50), Latencies.Percentile(times, 95), times.Max(), Latencies.Percentile(server, 50), Latencies.Percentile(server, 95));
    }

    private static double ServerDuration(HttpResponseMessage response)
    {
        var header = response.Headers.TryGetValues("Server-Timing", out var values) ? values.First() : "";
        var at = header.IndexOf("dur=", StringComparison.Ordinal);
        return at < 0 ? double.NaN : double.Parse(header[(at + 4)..], CultureInfo.InvariantCulture);
    }

    // The same figures straight from the registry's tables: today from persons, a past date from persons and person_history
    // (for each person the highest version that had happened by the end of that day).
    private static async Task<(double Median, long Rows)?> TimeSqlAsync(string database, string sql, string region, string date, int repeats)
    {
        var day = DateOnly.Parse(date, CultureInfo.InvariantCulture);
        var endOfDay = ChinaTime.StartOf(day.AddDays(1)).ToUniversalTime();
        var persons = day == ChinaTime.Today(TimeProvider.System)
            ? """
              (SELECT status, residence_region_code, sex, residence_type, birth_date, record->>'education' AS education,
                      record->>'maritalStatus' AS marital_status FROM registry.persons) p
              WHERE status = 'living' AND residence_region_code IS NOT NULL
              """
            : $"""
              (SELECT DISTINCT ON (person_id) person_id, status, residence_region_code, sex, residence_type, birth_date, education, marital_status FROM (
                 SELECT id AS person_id, version, occurred_at, record->>'status' AS status, record->>'residenceRegionCode' AS residence_region_code,
                        sex, residence_type, birth_date, record->>'education' AS education, record->>'maritalStatus' AS marital_status FROM registry.persons
                 UNION ALL
                 SELECT person_id, version, occurred_at, record->>'status', record->>'residenceRegionCode', record->>'sex', record->>'residenceType',
                        CAST(record->>'birthDate' AS date), record->>'education', record->>'maritalStatus' FROM registry.person_history) v
               WHERE occurred_at < '{endOfDay:O}' ORDER BY person_id, version DESC) p
              WHERE status = 'living' AND residence_region_code IS NOT NULL
              """;
        if (region != "city")
        {
            persons += $" AND residence_region_code = '{region}'";
        }

        var text = sql.Replace("{persons}", persons, StringComparison.Ordinal)
            .Replace("{age}", $"CAST(date_part('year', age(DATE '{date}', birth_date)) AS integer)", StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var times = new List<double>();
        long rows = 0;
        for (var i = 0; i < repeats; i++)
        {
            await using var command = new NpgsqlCommand(text, connection) { CommandTimeout = 600 };
            var watch = Stopwatch.StartNew();
            await using var reader = await command.ExecuteReaderAsync();
            rows = 0;
            while (await reader.ReadAsync())
            {
                rows++;
            }

            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return (Latencies.Percentile(times, 50), rows);
    }

    private static async Task<string> BusiestCommunityAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT residence_region_code FROM registry.persons WHERE status = 'living' AND residence_region_code IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1", connection);
        var code = (string)(await command.ExecuteScalarAsync())!;
        Console.WriteLine($"   community for the regional queries: {code} ({(RegionCatalogue.Wuxi.TryGet(code, out var r) ? r.Name : "?")}, the most populous)");
        return code;
    }

    // The registry at its maximum rate (closed loop of registrations and corrections), the analytics watermark followed meanwhile.
    private static async Task StreamAsync(int registryPort, HttpClient planner, ServiceProcess analytics, int seconds, int clients)
    {
        using var http = ChangeLatency.CreateHttpClient(new Uri($"http://127.0.0.1:{registryPort}"));
        var workload = new RegistryWorkload(http, new PersonFactory(), 0.2);
        var before = await planner.GetFromJsonAsync<JsonObject>("/api/v1/projection/status");
        var startSequence = (long)before!["lowWatermark"]!;
        var watermarks = new List<(double Seconds, long Watermark, long Registry)>();
        using var sampling = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                var s = await planner.GetFromJsonAsync<JsonObject>("/api/v1/projection/status");
                watermarks.Add((watch.Elapsed.TotalSeconds, (long)s!["lowWatermark"]!, (long)s["registryLastSequence"]!));
                await Task.Delay(500);
            }
        });
        var run = await Drive.ClosedLoopAsync($"registry closed loop, {clients} clients", workload, clients, TimeSpan.FromSeconds(seconds));
        var writtenAt = watch.Elapsed.TotalSeconds;
        var committed = run.Samples.Count(s => s.Ok);
        var target = startSequence + committed;
        while (watermarks.Count == 0 || watermarks[^1].Watermark < target)
        {
            if (watch.Elapsed.TotalSeconds > writtenAt + 120)
            {
                break;
            }

            await Task.Delay(200);
        }

        await sampling.CancelAsync();
        await sampler;
        var caughtUp = watermarks.FirstOrDefault(w => w.Watermark >= target);
        var duringRun = watermarks.Where(w => w.Seconds <= writtenAt).ToList();
        var applied = duringRun.Count > 1 ? (duringRun[^1].Watermark - duringRun[0].Watermark) / (duringRun[^1].Seconds - duringRun[0].Seconds) : 0;
        var maxLag = watermarks.Count == 0 ? 0 : watermarks.Max(w => w.Registry - w.Watermark);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\n[events while changes stream] registry: {committed} changes in {run.Seconds:0.0} s = {committed / run.Seconds:0} changes/s (its maximum, {clients} clients, 20 % corrections)"));
        var caught = caughtUp.Seconds > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{caughtUp.Seconds - writtenAt:0.0} s after the last change was written")
            : "NOT within 120 s";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  analytics applied {applied:0} events/s during the run; largest lag seen {maxLag} sequences; all {committed} applied {caught}"));
        Console.WriteLine($"  analytics process after the stream: {analytics.Memory()}");
    }
}
