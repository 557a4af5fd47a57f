using Npgsql;
using PopInfo.Registry;
using PopInfo.ServiceDefaults.Data;
using PopInfo.SyntheticCity.Loading;

namespace PopInfo.SyntheticCity.Tests;

/// <summary>
/// Loads into a scratch database of its own on the PostgreSQL server that test.sh starts
/// (POPINFO_TEST_POSTGRES, default the loopback server); the database is dropped afterwards.
/// Without a server these tests fail rather than skip, as the project's other database tests do.
/// </summary>
public sealed class PostgreSqlLoadTests : IAsyncLifetime
{
    private readonly string _server = Environment.GetEnvironmentVariable("POPINFO_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=popinfo;Password=popinfo;Database=popinfo";

    private readonly string _database = "popinfo_city_test_" + Guid.NewGuid().ToString("N")[..12];

    private string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString;

    public async Task InitializeAsync() => await OnServerAsync($"CREATE DATABASE {_database}");

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await OnServerAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    [Fact]
    public async Task A_load_fills_persons_and_households_and_leaves_the_migrations_indexes_as_they_were()
    {
        var dialect = PostgreSqlDialect.Create(ConnectionString, RegistryModule.Name);
        await DatabaseMigrator.MigrateAsync(new ServiceDatabase(RegistryModule.Name, dialect), typeof(RegistryModule).Assembly,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        var indexesBefore = await IndexDefinitionsAsync();

        var result = await Loads.PostgreSqlAsync(ConnectionString);

        Assert.Equal(Loads.People, result.Living);
        Assert.Equal(Loads.PersonRows, result.People);
        Assert.Equal(Loads.PersonRows, await ScalarAsync("SELECT COUNT(*) FROM registry.persons"));
        Assert.Equal(Loads.People, await ScalarAsync("SELECT COUNT(*) FROM registry.persons WHERE status = 'living'"));
        Assert.Equal(Loads.HistoryRows, result.History);
        Assert.Equal(Loads.HistoryRows, await ScalarAsync("SELECT COUNT(*) FROM registry.person_history"));
        Assert.Equal(Loads.HouseholdRows, await ScalarAsync("SELECT COUNT(*) FROM registry.households"));
        Assert.Equal(result.Households, await ScalarAsync("SELECT COUNT(*) FROM registry.households"));
        Assert.Equal(1, await ScalarAsync("SELECT COUNT(*) FROM pg_constraint WHERE conname = 'person_history_pkey' AND contype = 'p'"));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM registry.change_log"));
        Assert.Equal(indexesBefore, await IndexDefinitionsAsync());
        Assert.Equal(1, await ScalarAsync("SELECT COUNT(*) FROM pg_constraint WHERE conname = 'persons_id_number_unique' AND contype = 'u'"));
        Assert.True(await ScalarAsync("SELECT COUNT(*) FROM registry.regions") > 1000);
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM pg_class WHERE relnamespace = CAST('registry' AS regnamespace) AND (relname LIKE 'city_load%' OR reloptions IS NOT NULL)"));
        await Loads.AssertRegistryReadsEveryoneAsync(new ServiceDatabase(RegistryModule.Name, dialect));
    }

    [Fact]
    public async Task A_second_load_is_refused_unless_told_to_replace_and_then_replaces()
    {
        await Loads.PostgreSqlAsync(ConnectionString);

        var refused = await Assert.ThrowsAsync<CityLoadException>(() => Loads.PostgreSqlAsync(ConnectionString));
        Assert.Contains("--replace", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Loads.PersonRows, await ScalarAsync("SELECT COUNT(*) FROM registry.persons"));

        await Loads.PostgreSqlAsync(ConnectionString, replace: true);
        Assert.Equal(Loads.PersonRows, await ScalarAsync("SELECT COUNT(*) FROM registry.persons"));
        Assert.Equal(Loads.HistoryRows, await ScalarAsync("SELECT COUNT(*) FROM registry.person_history"));
    }

    [Fact]
    public async Task Without_history_every_person_is_one_registered_version_and_replace_empties_the_history()
    {
        await Loads.PostgreSqlAsync(ConnectionString);
        Assert.True(await ScalarAsync("SELECT COUNT(*) FROM registry.person_history") > 0);

        var result = await Loads.PostgreSqlAsync(ConnectionString, replace: true, history: false);

        Assert.Equal(Loads.People, result.People);
        Assert.Equal(Loads.People, await ScalarAsync("SELECT COUNT(*) FROM registry.persons WHERE version = 1 AND change_type = 'registered' AND occurred_at = recorded_at"));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM registry.person_history"));
        await Loads.AssertRegistryReadsTheSnapshotAsync(new ServiceDatabase(RegistryModule.Name, PostgreSqlDialect.Create(ConnectionString, RegistryModule.Name)));
    }

    private async Task<List<string>> IndexDefinitionsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'registry' AND tablename IN ('persons', 'person_history', 'households') ORDER BY indexname", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var definitions = new List<string>();
        while (await reader.ReadAsync())
        {
            definitions.Add(reader.GetString(0));
        }

        return definitions;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task OnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
