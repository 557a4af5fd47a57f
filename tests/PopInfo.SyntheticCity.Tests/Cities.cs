using PopInfo.Contracts.Registry;
using PopInfo.Domain.Regions;
using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Tests;

/// <summary>Generated cities shared by the tests of a class; generation is deterministic, so sharing changes nothing.</summary>
internal static class Cities
{
    public static readonly DateOnly AsOf = CitySpec.DefaultAsOf;

    /// <summary>The time a city without history stamps on its rows.</summary>
    public static readonly DateTimeOffset LoadTime = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static readonly Lazy<List<GeneratedHousehold>> Large = new(() => Generate(42, 200_000));

    private static readonly Lazy<List<CityUnit>> LargeHistory = new(() => Units(new CitySpec(42, 100_000, AsOf)));

    /// <summary>200,000 people of seed 42.</summary>
    public static IReadOnlyList<GeneratedHousehold> TwoHundredThousand => Large.Value;

    /// <summary>100,000 living people of seed 42 with their history.</summary>
    public static IReadOnlyList<CityUnit> HundredThousandWithHistory => LargeHistory.Value;

    public static List<GeneratedHousehold> Generate(ulong seed, long people) =>
        [.. new CityGenerator(new CitySpec(seed, people, AsOf), RegionCatalogue.Wuxi).Households()];

    public static List<CityUnit> Units(CitySpec spec) =>
        [.. new CityHistory(new CityGenerator(spec, RegionCatalogue.Wuxi), LoadTime).Units()];

    public static IEnumerable<PersonRecord> People(this IEnumerable<GeneratedHousehold> households) =>
        households.SelectMany(h => h.Members);

    public static int Age(PersonRecord p) => CityStatistics.AgeOn(p.BirthDate, AsOf);
}
