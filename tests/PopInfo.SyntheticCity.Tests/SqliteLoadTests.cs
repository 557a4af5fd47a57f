using Microsoft.Data.Sqlite;
using PopInfo.Registry;
using PopInfo.ServiceDefaults.Data;
using PopInfo.SyntheticCity.Loading;

namespace PopInfo.SyntheticCity.Tests;

public sealed class SqliteLoadTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "popinfo-city-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_load_fills_registry_db_in_the_registrys_own_formats()
    {
        var result = await Loads.SqliteAsync(_directory);

        Assert.Equal(Loads.People, result.Living);
        Assert.Equal(Loads.PersonRows, result.People);
        Assert.Equal(Loads.PersonRows, Scalar("SELECT COUNT(*) FROM persons"));
        Assert.Equal(Loads.People, Scalar("SELECT COUNT(*) FROM persons WHERE status = 'living'"));
        Assert.Equal(Loads.HistoryRows, result.History);
        Assert.Equal(Loads.HistoryRows, Scalar("SELECT COUNT(*) FROM person_history"));
        Assert.Equal(Loads.HouseholdRows, Scalar("SELECT COUNT(*) FROM households"));
        Assert.Equal(result.Households, Scalar("SELECT COUNT(*) FROM households"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM change_log"));
        Assert.Equal(3, Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'persons' AND sql IS NOT NULL"));
        // As the registry's own writes (Dapper over Microsoft.Data.Sqlite) store them: uuids as 36-character
        // upper-case text, dates as yyyy-MM-dd, times as ISO-8601 text in UTC.
        Assert.Equal(Loads.PersonRows, Scalar("SELECT COUNT(*) FROM persons WHERE typeof(id) = 'text' AND length(id) = 36 AND id = upper(id) " +
            "AND birth_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND recorded_at LIKE '____-__-__ __:__:__%+00:00'"));
        Assert.Equal(Loads.HistoryRows, Scalar("SELECT COUNT(*) FROM person_history WHERE typeof(person_id) = 'text' AND length(person_id) = 36 AND person_id = upper(person_id) " +
            "AND superseded_at LIKE '____-__-__ __:__:__%+00:00'"));
        await Loads.AssertRegistryReadsEveryoneAsync(new ServiceDatabase(RegistryModule.Name, SqliteDialect.Create(_directory, RegistryModule.Name)));
    }

    [Fact]
    public async Task A_second_load_is_refused_unless_told_to_replace()
    {
        await Loads.SqliteAsync(_directory);

        await Assert.ThrowsAsync<CityLoadException>(() => Loads.SqliteAsync(_directory));
        await Loads.SqliteAsync(_directory, replace: true);
        Assert.Equal(Loads.PersonRows, Scalar("SELECT COUNT(*) FROM persons"));
        Assert.Equal(Loads.HistoryRows, Scalar("SELECT COUNT(*) FROM person_history"));
    }

    [Fact]
    public async Task Without_history_every_person_is_one_registered_version_and_replace_empties_the_history()
    {
        await Loads.SqliteAsync(_directory);
        Assert.True(Scalar("SELECT COUNT(*) FROM person_history") > 0);

        var result = await Loads.SqliteAsync(_directory, replace: true, history: false);

        Assert.Equal(Loads.People, result.People);
        Assert.Equal(Loads.People, Scalar("SELECT COUNT(*) FROM persons WHERE version = 1 AND change_type = 'registered' AND occurred_at = recorded_at"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM person_history"));
        await Loads.AssertRegistryReadsTheSnapshotAsync(new ServiceDatabase(RegistryModule.Name, SqliteDialect.Create(_directory, RegistryModule.Name)));
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "registry.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
