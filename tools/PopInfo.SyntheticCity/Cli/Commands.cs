using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PopInfo.Domain.Regions;
using PopInfo.SyntheticCity.Generation;
using PopInfo.SyntheticCity.Loading;
using PopInfo.SyntheticCity.Loading.PostgreSql;
using PopInfo.SyntheticCity.Loading.Sqlite;
using Spectre.Console;

namespace PopInfo.SyntheticCity.Cli;

internal static class Commands
{
    public static async Task<int> LoadAsync(LoadSettings settings, CancellationToken ct)
    {
        var counters = new LoadCounters();
        ILogger logger = settings.Quiet ? NullLogger.Instance : new ConsoleLogger();
        var target = settings.Provider == Provider.PostgreSql
            ? $"PostgreSQL schema \"{PostgreSqlLoader.Schema}\""
            : $"SQLite {Path.Combine(settings.DataDirectory, "registry.db")}";
        AnsiConsole.MarkupLine($"Loading [bold]{settings.City.People:N0}[/] people (seed {settings.City.Seed}, as of {settings.City.AsOf:yyyy-MM-dd}, " +
            $"{(settings.City.History ? "with their history since the census" : "no history")}) into {Markup.Escape(target)}.");

        if (settings.Baseline)
        {
            // Both measurements start with no dirty pages of earlier work left to flush.
            await CheckpointAsync(settings.ConnectionString!, ct);
        }

        var result = await ProgressDisplay.RunAsync(settings.Quiet, settings.City.People, counters, () => settings.Provider == Provider.PostgreSql
            ? new PostgreSqlLoader(settings, counters, logger).LoadAsync(ct)
            : new SqliteLoader(settings, counters, logger).LoadAsync(ct));

        AnsiConsole.MarkupLine(
            $"Loaded [bold]{result.People:N0}[/] people ({result.Living:N0} living, {result.People - result.Living:N0} no longer there), " +
            $"[bold]{result.History:N0}[/] superseded versions and [bold]{result.Households:N0}[/] households in {result.Total.TotalSeconds:F1} s " +
            $"([green]{result.PeoplePerSecond:N0} people/s[/]; rows {result.Copy.TotalSeconds:F1} s, indexes {result.Indexes.TotalSeconds:F1} s).");

        // On two cores the generator and the database share the CPU, so what the tool itself used is part of the figure.
        using (var self = System.Diagnostics.Process.GetCurrentProcess())
        {
            AnsiConsole.MarkupLine($"[grey]This process: {self.TotalProcessorTime.TotalSeconds:F1} s of CPU, {GC.CollectionCount(0)} garbage collections ({GC.GetTotalPauseDuration().TotalSeconds:F1} s paused).[/]");
        }

        if (settings.Baseline)
        {
            var baseline = await ProgressDisplay.RunAsync(true, settings.City.People, counters, () => new Baseline(settings, counters).RunAsync(ct));
            var ratio = result.PeoplePerSecond / baseline.RowsPerSecond;
            AnsiConsole.MarkupLine($"Baseline: raw binary COPY of the same {baseline.Rows:N0} pre-generated rows into an indexed copy of persons: " +
                $"{baseline.Copy.TotalSeconds:F1} s, [green]{baseline.RowsPerSecond:N0} rows/s[/].");
            AnsiConsole.MarkupLine($"Ratio load / raw COPY: [bold]{ratio:F2}[/] (target ≥ 0.70).");
        }

        return 0;
    }

    public static int Stats(LoadSettings settings)
    {
        var generator = new CityGenerator(settings.City, RegionCatalogue.Wuxi);
        var city = new CityHistory(generator, DateTimeOffset.UtcNow);
        var stats = new CityStatistics(settings.City.AsOf);
        var history = new HistoryStatistics(settings.City.AsOf);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var unit in city.Units())
        {
            stats.Add(unit.Household);
            history.Add(unit);
        }

        AnsiConsole.MarkupLine($"Generated {stats.People:N0} people in {clock.Elapsed.TotalSeconds:F1} s (seed {settings.City.Seed}, as of {settings.City.AsOf:yyyy-MM-dd}" +
            (city.Enabled ? $"; with {history.People - history.Living:N0} more who lived here since the census and {history.Versions:N0} versions in all)." : ", no history)."));
        StatsTable.Write(stats, generator.BirthDatesMoved + city.BirthDatesMoved);
        if (city.Enabled)
        {
            StatsTable.WriteHistory(history);
        }

        return 0;
    }

    private static async Task CheckpointAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("CHECKPOINT", connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Shows the migrator's messages dimmed above the progress bar.</summary>
    private sealed class ConsoleLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                AnsiConsole.MarkupLine($"[grey]{Markup.Escape(formatter(state, exception))}[/]");
            }
        }
    }
}
