using Microsoft.Extensions.Logging.Abstractions;
using PopInfo.Contracts.Registry;
using PopInfo.Registry.Data;
using PopInfo.ServiceDefaults.Data;
using PopInfo.SyntheticCity.Generation;
using PopInfo.SyntheticCity.Loading;
using PopInfo.SyntheticCity.Loading.PostgreSql;
using PopInfo.SyntheticCity.Loading.Sqlite;

namespace PopInfo.SyntheticCity.Tests;

/// <summary>Runs the tool's loaders the way the command does, for a small city.</summary>
internal static class Loads
{
    public const long People = 3_000;
    public static readonly CitySpec City = new(11, People, Cities.AsOf);

    public static Task<LoadResult> PostgreSqlAsync(string connectionString, bool replace = false) =>
        new PostgreSqlLoader(Settings(Provider.PostgreSql, connectionString, "unused", replace), new LoadCounters(), NullLogger.Instance)
            .LoadAsync(CancellationToken.None);

    public static Task<LoadResult> SqliteAsync(string directory, bool replace = false) =>
        new SqliteLoader(Settings(Provider.Sqlite, null, directory, replace), new LoadCounters(), NullLogger.Instance)
            .LoadAsync(CancellationToken.None);

    /// <summary>Every generated person can be read back through the registry's own query code, unchanged.</summary>
    public static async Task AssertRegistryReadsEveryoneAsync(ServiceDatabase database)
    {
        DapperTypeHandlers.Register();
        var queries = new PersonQueries(database);
        var households = Cities.Generate(City.Seed, City.People);
        foreach (var person in households.People().Where((_, i) => i % 97 == 0))
        {
            var stored = await queries.GetByIdNumberAsync(person.IdNumber, CancellationToken.None);
            Assert.NotNull(stored);
            Assert.Equal(person, stored.Record);
            Assert.Equal(1, stored.Version);
            Assert.Equal(ChangeTypes.Registered, stored.ChangeType);
        }

        var household = households[5];
        var view = await queries.GetHouseholdAsync(household.Id, CancellationToken.None);
        Assert.NotNull(view);
        Assert.Equal(household.Number, view.Number);
        Assert.Equal(household.Members.Length, view.Members.Count);
    }

    private static LoadSettings Settings(Provider provider, string? connectionString, string directory, bool replace) =>
        new(City, provider, connectionString, directory, replace, KeepIndexes: false, Baseline: false, Quiet: true);
}
