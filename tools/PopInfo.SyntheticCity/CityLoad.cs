using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using PopInfo.Registry;
using PopInfo.SyntheticCity.Generation;
using PopInfo.SyntheticCity.Loading;
using PopInfo.SyntheticCity.Loading.Sqlite;

namespace PopInfo.SyntheticCity;

/// <summary>
/// The synthetic city for other programs (the embedded host's demo mode): the same generator and the same SQLite bulk
/// loader as <c>popinfo-city load --provider Sqlite</c>, with the tool's defaults (reference date, history) and its
/// progress as a few log lines instead of a progress bar.
/// </summary>
public static class CityLoad
{
    /// <summary>The tool's default seed.</summary>
    public const ulong DefaultSeed = 42;

    /// <summary>
    /// Loads <paramref name="people"/> living people of the seeded city, with their history since the census, into
    /// <c>{dataDirectory}/registry.db</c> (migrated first) in one transaction. Refuses a register that holds people or
    /// households (<see cref="InvalidOperationException"/>): check <see cref="PeopleInSqliteAsync"/> first.
    /// </summary>
    public static async Task<LoadResult> IntoSqliteAsync(string dataDirectory, long people, ulong seed, ILogger logger, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(people, 1);
        var settings = new LoadSettings(new CitySpec(seed, people, CitySpec.DefaultAsOf), Provider.Sqlite, null, dataDirectory,
            Replace: false, KeepIndexes: false, Baseline: false, Quiet: true);
        var counters = new LoadCounters();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var load = new SqliteLoader(settings, counters, logger).LoadAsync(stop.Token);
        var report = ReportAsync(load, people, counters, logger, stop.Token);
        try
        {
            return await load;
        }
        catch (CityLoadException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
        finally
        {
            await stop.CancelAsync();
            await report;
        }
    }

    /// <summary>How many persons <c>{dataDirectory}/registry.db</c> holds (0 when the file or its tables do not exist yet).</summary>
    public static async Task<long> PeopleInSqliteAsync(string dataDirectory, CancellationToken ct)
    {
        await using var connection = await OpenIfExistsAsync(dataDirectory, ct);
        if (connection is null || !await HasPersonsTableAsync(connection, ct))
        {
            return 0;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM persons";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>The lowest code of a community where living people reside in <c>{dataDirectory}/registry.db</c>, or null.</summary>
    public static async Task<string?> FirstCommunityInSqliteAsync(string dataDirectory, CancellationToken ct)
    {
        await using var connection = await OpenIfExistsAsync(dataDirectory, ct);
        if (connection is null || !await HasPersonsTableAsync(connection, ct))
        {
            return null;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(residence_region_code) FROM persons WHERE status = 'living' AND residence_region_code IS NOT NULL";
        return await command.ExecuteScalarAsync(ct) as string;
    }

    // A few lines over a load: each quarter of the people, and the phases after the rows.
    private static async Task ReportAsync(Task load, long total, LoadCounters counters, ILogger logger, CancellationToken ct)
    {
        var quarter = Math.Max(1, total / 4);
        var next = quarter;
        var phase = counters.Phase;
        try
        {
            while (!load.IsCompleted)
            {
                await Task.WhenAny(load, Task.Delay(500, ct));
                var done = counters.People;
                if (done >= next && done < total)
                {
                    logger.LogInformation("Synthetic city: {People:N0} of {Total:N0} people written", done, total);
                    next = (done / quarter + 1) * quarter;
                }

                if (counters.Phase != phase && counters.Phase is "building indexes" or "committing")
                {
                    phase = counters.Phase;
                    logger.LogInformation("Synthetic city: {People:N0} people written; {Phase}", done, phase);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<SqliteConnection?> OpenIfExistsAsync(string dataDirectory, CancellationToken ct)
    {
        var file = Path.Combine(dataDirectory, RegistryModule.Name + ".db");
        if (!File.Exists(file) || new FileInfo(file).Length == 0)
        {
            return null;
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static async Task<bool> HasPersonsTableAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'persons'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0;
    }
}
