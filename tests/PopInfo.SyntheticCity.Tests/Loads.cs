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

    private static readonly Lazy<List<CityUnit>> Expected = new(() => Cities.Units(City));

    /// <summary>The loaded city's units: the living, the people no longer there, their versions.</summary>
    public static IReadOnlyList<CityUnit> Units => Expected.Value;

    /// <summary>Persons rows the load writes: everyone who lived here since the census.</summary>
    public static long PersonRows => Units.Sum(u => u.People.Count);

    /// <summary>person_history rows the load writes: every version but the current one.</summary>
    public static long HistoryRows => Units.Sum(u => u.People.Sum(p => p.Versions.Count - 1));

    public static long HouseholdRows => Units.Sum(u => u.Households.Count);

    public static Task<LoadResult> PostgreSqlAsync(string connectionString, bool replace = false, bool history = true) =>
        new PostgreSqlLoader(Settings(Provider.PostgreSql, connectionString, "unused", replace, history), new LoadCounters(), NullLogger.Instance)
            .LoadAsync(CancellationToken.None);

    public static Task<LoadResult> SqliteAsync(string directory, bool replace = false, bool history = true) =>
        new SqliteLoader(Settings(Provider.Sqlite, null, directory, replace, history), new LoadCounters(), NullLogger.Instance)
            .LoadAsync(CancellationToken.None);

    /// <summary>
    /// Generated people — living and gone — read back through the registry's own query code, unchanged:
    /// the current version, the whole history, and the person as the register knew them before the last change.
    /// </summary>
    public static async Task AssertRegistryReadsEveryoneAsync(ServiceDatabase database)
    {
        DapperTypeHandlers.Register();
        var store = new PersonReadStore(database);
        var people = Units.SelectMany(u => u.People).ToList();
        var checkedPeople = 0;
        var checkedPast = 0;
        foreach (var person in people.Where((p, i) => i % 41 == 0 || p.Record.Status != "living" && i % 7 == 0))
        {
            var current = person.Current;
            var stored = await store.GetByIdNumberAsync(person.Record.IdNumber, CancellationToken.None);
            Assert.NotNull(stored);
            Assert.Equal(person.Record, stored.Record);
            Assert.Equal(person.Versions.Count, stored.Version);
            Assert.Equal(current.ChangeType, stored.ChangeType);
            Assert.Equal(current.OccurredAt, stored.OccurredAt);
            Assert.Equal(current.RecordedAt, stored.RecordedAt);

            var history = await store.HistoryAsync(person.Record.PersonId, CancellationToken.None);
            Assert.Equal(person.Versions.Count, history.Count);
            for (var v = 0; v < history.Count; v++)
            {
                Assert.Equal(v + 1, history[v].Version);
                Assert.Equal(person.Versions[v].Record, history[v].Record);
                Assert.Equal(person.Versions[v].ChangeType, history[v].ChangeType);
                Assert.Equal(person.Versions[v].OccurredAt, history[v].OccurredAt);
                Assert.Equal(person.Versions[v].RecordedAt, history[v].RecordedAt);
            }

            // Just before the last version was recorded, the register knew the one before it.
            if (person.Versions.Count > 1 && person.Versions[^1].RecordedAt > person.Versions[^2].RecordedAt)
            {
                var before = await store.GetAsync(person.Record.PersonId, person.Versions[^1].RecordedAt.AddTicks(-10), CancellationToken.None);
                Assert.NotNull(before);
                Assert.Equal(person.Versions.Count - 1, before.Version);
                Assert.Equal(person.Versions[^2].Record, before.Record);
                checkedPast++;
            }

            checkedPeople++;
        }

        Assert.True(checkedPeople > 100, $"{checkedPeople} people checked");
        Assert.True(checkedPast > 20, $"{checkedPast} earlier versions checked");

        var household = Units[5].Household;
        var view = await store.GetHouseholdAsync(household.Id, CancellationToken.None);
        Assert.NotNull(view);
        Assert.Equal(household.Number, view.Number);
        Assert.Equal(household.Members.Length, view.Members.Count);
    }

    /// <summary>A city loaded without history: every person version 1, "registered".</summary>
    public static async Task AssertRegistryReadsTheSnapshotAsync(ServiceDatabase database)
    {
        DapperTypeHandlers.Register();
        var store = new PersonReadStore(database);
        foreach (var person in Cities.Generate(City.Seed, City.People).People().Where((_, i) => i % 97 == 0))
        {
            var stored = await store.GetByIdNumberAsync(person.IdNumber, CancellationToken.None);
            Assert.NotNull(stored);
            Assert.Equal(person, stored.Record);
            Assert.Equal(1, stored.Version);
            Assert.Equal(ChangeTypes.Registered, stored.ChangeType);
        }
    }

    private static LoadSettings Settings(Provider provider, string? connectionString, string directory, bool replace, bool history) =>
        new(City with { History = history }, provider, connectionString, directory, replace, KeepIndexes: false, Baseline: false, Quiet: true);
}
