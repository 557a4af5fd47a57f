using PopInfo.Domain.Regions;

namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// The 1,064 communities of <see cref="RegionCatalogue.Wuxi"/>, weighted so that each district gets its
/// census share of the population. Inside a district a residents' committee (社区) is larger than a
/// village (村), and each varies by a hash of its code, so neighbouring communities differ in size.
/// </summary>
internal sealed class CityMap
{
    // Total weight spread over the communities: large enough that rounding never empties one.
    private const long WeightScale = 100_000_000;

    public CityMap(RegionCatalogue regions)
    {
        var communities = new List<Community>();
        foreach (var region in regions.Communities)
        {
            var street = regions.TryGet(region.ParentCode, out var s) ? s : throw new InvalidOperationException($"Community {region.Code} has no street.");
            communities.Add(new Community(region, street, Districts.Get(region.Code[..6])));
        }

        Communities = communities;
        ByCode = communities.ToDictionary(c => c.Code, StringComparer.Ordinal);
        var entries = new List<(Community, int)>();
        foreach (var district in Districts.All)
        {
            var inDistrict = communities.Where(c => c.District == district).ToList();
            if (inDistrict.Count == 0)
            {
                throw new InvalidOperationException($"District {district.Code} has no communities in the catalogue.");
            }

            var sizes = inDistrict.Select(SizeOf).ToArray();
            var total = sizes.Sum();
            for (var i = 0; i < inDistrict.Count; i++)
            {
                var weight = WeightScale * district.PopulationWeight / 10_000 * sizes[i] / total;
                entries.Add((inDistrict[i], (int)Math.Max(1, weight)));
            }
        }

        ByPopulation = new Weighted<Community>(entries);
    }

    public IReadOnlyList<Community> Communities { get; }

    public IReadOnlyDictionary<string, Community> ByCode { get; }

    /// <summary>Communities weighted by how many people live there.</summary>
    public Weighted<Community> ByPopulation { get; }

    // Relative size: villages hold about half the people of an urban community.
    private static long SizeOf(Community c) =>
        c.IsVillage ? Fnv.Between(Fnv.Hash(c.Code, "size"), 30, 75) : Fnv.Between(Fnv.Hash(c.Code, "size"), 60, 140);
}
