using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using Microsoft.Extensions.Time.Testing;
using PopInfo.Analytics.Engine;
using PopInfo.Analytics.Projection;
using PopInfo.Analytics.Protection;
using PopInfo.Contracts;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;

namespace PopInfo.Benchmarks;

/// <summary>
/// analytics-engines (ADR 0002): the analytics service's in-memory index against DuckDB (embedded, columnar, with a memory
/// limit) on the same rows — every version of every person with its validity interval — for the same tables, in one
/// process, one after the other. The rows are drawn from a seed with the register's shape (1,064 communities, a century of
/// birth dates, a fifth of the versions superseded); not the synthetic city, so that both engines get identical columns.
/// </summary>
public static class AnalyticsEngines
{
    public static async Task RunAsync(Options options)
    {
        var versions = options.Whole("versions", 15_000_000);
        var repeats = options.Whole("repeats", 30);
        var memoryLimit = options.Text("duckdb-memory", "2GB");
        var threads = options.Whole("duckdb-threads", Environment.ProcessorCount);
        options.RejectUnknown();
        Console.WriteLine($"== popinfo benchmark: analytics-engines {options.Describe()}");
        Console.WriteLine($"   date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}; machine: {Machine.Describe()}; {Machine.LoadAverage()}");

        var catalogue = new Categories(RegionCatalogue.Wuxi);
        var index = new PopulationIndex(catalogue, new RecordKeys(new byte[32]));
        var watch = Stopwatch.StartNew();
        foreach (var batch in Rows(versions).Chunk(100_000))
        {
            index.Apply(batch);
        }

        GC.Collect();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\n[index] {index.RowCount:N0} versions of {index.PersonCount:N0} persons applied in {watch.Elapsed.TotalSeconds:0.0} s; managed heap {GC.GetTotalMemory(true) / 1048576.0:0} MB"));
        var tables = new TableService(index, new Disclosure(new CellKeyPerturbation()), new ProjectionWatermark(), new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero)));

        var path = Path.Combine(Path.GetTempPath(), $"popinfo-engines-{Guid.NewGuid():N}.duckdb");
        try
        {
            await using var duck = new DuckDBConnection($"Data Source={path}");
            await duck.OpenAsync();
            await ExecAsync(duck, $"SET memory_limit='{memoryLimit}'; SET threads={threads};");
            watch.Restart();
            await LoadDuckAsync(duck, index);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[duckdb] the same rows loaded (appender, then sorted by community) in {watch.Elapsed.TotalSeconds:0.0} s; memory_limit {memoryLimit}, threads {threads}"));

            var community = catalogue.Communities[517].Code;
            var queries = new (string Name, TableRequest Request, string Sql)[]
            {
                ("city: district × sex × residence × band, today", new("district", "sex,residenceType,ageBand", null, null, "2026-12-06", null),
                    "SELECT district, sex, residence, LEAST((20261206 - birth) // 10000 // 5, 20) AS band, count(*) FROM v WHERE community >= 0 AND vfrom <= {d} AND vto > {d} AND birth <= 20261206 GROUP BY ALL"),
                ("city: the same, 2023-06-30", new("district", "sex,residenceType,ageBand", null, null, "2023-06-30", null),
                    "SELECT district, sex, residence, LEAST((20230630 - birth) // 10000 // 5, 20) AS band, count(*) FROM v WHERE community >= 0 AND vfrom <= {d2} AND vto > {d2} AND birth <= 20230630 GROUP BY ALL"),
                ("city: street × sex, education filter", new("street", "sex", ["education:20,30"], null, "2026-12-06", null),
                    "SELECT street, sex, count(*) FROM v WHERE community >= 0 AND vfrom <= {d} AND vto > {d} AND education IN (4, 5) GROUP BY ALL"),
                ("city: community × residence × education, women 15–59", new("community", "residenceType,education", ["sex:2", "ageGroup:15-59"], null, "2026-12-06", null),
                    $"SELECT community, residence, education, count(*) FROM v WHERE community >= 0 AND vfrom <= {{d}} AND vto > {{d}} AND sex = {Categories.Coded(Categories.Sex, "2")} AND (20261206 - birth) // 10000 BETWEEN 15 AND 59 GROUP BY ALL"),
                ("community: sex × residence × band, today", new("ageBand", "sex,residenceType", null, community, "2026-12-06", null),
                    "SELECT sex, residence, LEAST((20261206 - birth) // 10000 // 5, 20) AS band, count(*) FROM v WHERE community = 517 AND vfrom <= {d} AND vto > {d} AND birth <= 20261206 GROUP BY ALL"),
            };
            var d = new DateOnly(2026, 12, 6).DayNumber.ToString(CultureInfo.InvariantCulture);
            var d2 = new DateOnly(2023, 6, 30).DayNumber.ToString(CultureInfo.InvariantCulture);
            Console.WriteLine($"\n[queries] {repeats} each, after 3 unmeasured; {Machine.LoadAverage()}");
            foreach (var (name, request, sql) in queries)
            {
                var ours = Time(repeats, () => tables.Build(request, protect: false).Value!.Total);
                // What an endpoint does besides counting: protect every cell and total, then write the JSON body.
                var answered = Time(repeats, () => JsonSerializer.SerializeToUtf8Bytes(tables.Build(request).Value!, Json.Options).LongLength);
                var theirs = Time(repeats, () => Duck(duck, sql.Replace("{d}", d, StringComparison.Ordinal).Replace("{d2}", d2, StringComparison.Ordinal)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-45} index p50 {ours.P50,7:0.0} p95 {ours.P95,7:0.0} ms (total {ours.Check})   protected + JSON p50 {answered.P50,7:0.0} p95 {answered.P95,7:0.0} ms ({answered.Check / 1024.0:0} KiB)   duckdb p50 {theirs.P50,7:0.0} p95 {theirs.P95,7:0.0} ms (total {theirs.Check})"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\n  process: {ProcessMemory.Read(Environment.ProcessId)}; managed heap {GC.GetTotalMemory(false) / 1048576.0:0} MB"));
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".wal");
        }
    }

    // Deterministic rows: a fifth of the persons have a second version (a move, a death, a departure) within 2021–2025.
    private static IEnumerable<PersonFacts> Rows(int versions)
    {
        var random = new Random(42);
        var communities = RegionCatalogue.Wuxi.Communities;
        string[] educations = ["20", "30", "60", "70", "80"];
        var census = ChinaTime.StartOf(new DateOnly(2020, 11, 1));
        var made = 0;
        while (made < versions)
        {
            var id = new Guid(random.Next(), (short)random.Next(), (short)random.Next(), [.. Enumerable.Range(0, 8).Select(_ => (byte)random.Next(256))]);
            var migrant = random.Next(3) == 0;
            var first = new PersonFacts
            {
                Person_Id = id, Version = 1, Change_Type = "registered", Occurred_At = census, Recorded_At = census,
                Status = "living", Residence_Region_Code = communities[random.Next(communities.Count)].Code, Sex = random.Next(2) == 0 ? "1" : "2",
                Birth_Date = new DateOnly(1920, 1, 1).AddDays(random.Next(38_000)), Residence_Type = migrant ? "migrant" : "registered",
                Education = educations[random.Next(educations.Length)], Marital_Status = "20", Ethnicity = "01", Household_Id = null,
                Origin_Region_Code = migrant ? "341221" : null, Migrant_Reason = migrant ? "work" : null,
            };
            yield return first;
            made++;
            if (random.Next(5) == 0 && made < versions)
            {
                var when = ChinaTime.StartOf(new DateOnly(2021, 1, 1).AddDays(random.Next(1800)));
                yield return first with
                {
                    Version = 2, Change_Type = "moved-within-city", Occurred_At = when, Recorded_At = when.AddDays(3),
                    Residence_Region_Code = communities[random.Next(communities.Count)].Code,
                };
                made++;
            }
        }
    }

    private static async Task LoadDuckAsync(DuckDBConnection duck, PopulationIndex index)
    {
        await ExecAsync(duck, "CREATE TABLE v (community SMALLINT, district TINYINT, street SMALLINT, sex TINYINT, birth INTEGER, residence TINYINT, education TINYINT, vfrom INTEGER, vto INTEGER)");
        index.Read(view =>
        {
            using var appender = duck.CreateAppender("v");
            for (var r = 0; r < view.RowCount; r++)
            {
                var c = view.Community[r];
                appender.CreateRow()
                    .AppendValue((short)c)
                    .AppendValue((sbyte)(c < 0 ? -1 : view.Categories.DistrictOfCommunity[c]))
                    .AppendValue((short)(c < 0 ? -1 : view.Categories.StreetOfCommunity[c]))
                    .AppendValue((sbyte)view.Sex[r])
                    .AppendValue(YearMonthDay(DateOnly.FromDayNumber(view.BirthDay[r])))
                    .AppendValue((sbyte)view.ResidenceType[r])
                    .AppendValue((sbyte)view.Education[r])
                    .AppendValue(view.ValidFrom[r])
                    .AppendValue(view.ValidTo[r])
                    .EndRow();
            }

            return 0;
        });
        // Sorted by community, as a table of a region would be stored for its zone maps to skip the rest.
        await ExecAsync(duck, "CREATE TABLE s AS SELECT * FROM v ORDER BY community; DROP TABLE v; ALTER TABLE s RENAME TO v;");
    }

    // Birth dates as yyyymmdd: completed years on a day are (day − birth) / 10000 in integers — exact, and the cheapest form
    // DuckDB can be given (its date_sub('year', …) cost it ten times more in a first run).
    private static int YearMonthDay(DateOnly date) => date.Year * 10000 + date.Month * 100 + date.Day;

    private static async Task ExecAsync(DuckDBConnection duck, string sql)
    {
        await using var command = duck.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static long Duck(DuckDBConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        long total = 0;
        while (reader.Read())
        {
            total += reader.GetInt64(reader.FieldCount - 1);
        }

        return total;
    }

    private static (double P50, double P95, long Check) Time(int repeats, Func<long> run)
    {
        long check = 0;
        for (var i = 0; i < 3; i++)
        {
            check = run();
        }

        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            check = run();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return (Latencies.Percentile(times, 50), Latencies.Percentile(times, 95), check);
    }
}
