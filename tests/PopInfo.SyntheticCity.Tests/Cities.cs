using PopInfo.Contracts.Registry;
using PopInfo.Domain.Regions;
using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Tests;

/// <summary>Generated cities shared by the tests of a class; generation is deterministic, so sharing changes nothing.</summary>
internal static class Cities
{
    public static readonly DateOnly AsOf = CitySpec.DefaultAsOf;

    private static readonly Lazy<List<GeneratedHousehold>> Large = new(() => Generate(42, 200_000));

    /// <summary>200,000 people of seed 42.</summary>
    public static IReadOnlyList<GeneratedHousehold> TwoHundredThousand => Large.Value;

    public static List<GeneratedHousehold> Generate(ulong seed, long people) =>
        [.. new CityGenerator(new CitySpec(seed, people, AsOf), RegionCatalogue.Wuxi).Households()];

    public static IEnumerable<PersonRecord> People(this IEnumerable<GeneratedHousehold> households) =>
        households.SelectMany(h => h.Members);

    public static int Age(PersonRecord p) => CityStatistics.AgeOn(p.BirthDate, AsOf);
}
