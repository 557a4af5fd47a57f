using PopInfo.Domain.Regions;

namespace PopInfo.UnitTests.Regions;

public class CommunityGenerationTests
{
    private static readonly RegionCatalogue Wuxi = RegionCatalogue.Wuxi;

    [Fact]
    public void Every_community_belongs_to_a_street_from_the_file_and_extends_its_code()
    {
        Assert.All(Wuxi.Communities, c =>
        {
            Assert.True(Wuxi.TryGet(c.ParentCode, out var street));
            Assert.Equal(RegionLevel.Street, street.Level);
            Assert.StartsWith(street.Code, c.Code, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Every_street_gets_communities()
    {
        Assert.All(Wuxi.Streets, s => Assert.NotEmpty(Wuxi.ChildrenOf(s.Code)));
    }

    [Fact]
    public void Wuxi_has_a_realistic_number_of_communities()
    {
        Assert.InRange(Wuxi.CommunityCount, 1_000, 1_600);
        Assert.Equal(Wuxi.Communities.Count, Wuxi.CommunityCount);
    }

    [Fact]
    public void Residents_committees_use_001_to_199_and_villages_200_to_399()
    {
        Assert.All(Wuxi.Communities, c =>
        {
            var suffix = int.Parse(c.Code.AsSpan(9, 3));
            if (c.Name.EndsWith("社区", StringComparison.Ordinal))
            {
                Assert.InRange(suffix, 1, 199);
            }
            else
            {
                Assert.EndsWith("村", c.Name, StringComparison.Ordinal);
                Assert.InRange(suffix, 200, 399);
            }
        });
    }

    [Fact]
    public void Streets_get_8_to_20_residents_committees_and_no_villages()
    {
        foreach (var street in StreetsWithSuffix(1, 99))
        {
            var communities = Wuxi.ChildrenOf(street.Code);
            Assert.InRange(communities.Count, 8, 20);
            Assert.All(communities, c => Assert.EndsWith("社区", c.Name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Towns_get_2_to_5_residents_committees_and_6_to_16_villages()
    {
        var towns = StreetsWithSuffix(100, 399).ToList();
        Assert.NotEmpty(towns);
        foreach (var town in towns)
        {
            var communities = Wuxi.ChildrenOf(town.Code);
            Assert.InRange(communities.Count(c => c.Name.EndsWith("社区", StringComparison.Ordinal)), 2, 5);
            Assert.InRange(communities.Count(c => c.Name.EndsWith('村')), 6, 16);
        }
    }

    [Fact]
    public void Development_zones_get_3_to_8_residents_committees()
    {
        var zones = StreetsWithSuffix(400, 599).ToList();
        Assert.NotEmpty(zones);
        foreach (var zone in zones)
        {
            var communities = Wuxi.ChildrenOf(zone.Code);
            Assert.InRange(communities.Count, 3, 8);
            Assert.All(communities, c => Assert.EndsWith("社区", c.Name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Community_names_are_unique_within_a_street()
    {
        Assert.All(Wuxi.Streets, s =>
        {
            var names = Wuxi.ChildrenOf(s.Code).Select(c => c.Name[..2]).ToList();
            Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        });
    }

    [Fact]
    public void Generation_is_deterministic_across_independent_builds()
    {
        var first = RegionCatalogue.LoadWuxi();
        var second = RegionCatalogue.LoadWuxi();

        Assert.NotSame(first, second);
        Assert.Equal(first.All, second.All);
        Assert.Equal(Wuxi.All, first.All);
    }

    [Fact]
    public void Generation_matches_the_pinned_result_so_every_machine_and_run_agrees()
    {
        // Pinned values: if the generator changes, every synthetic data set changes with it, so that must be deliberate.
        Assert.Equal(PinnedCommunityCount, Wuxi.CommunityCount);
        Assert.Equal(PinnedFirstCommunity, Wuxi.Communities[0]);
        Assert.Equal(PinnedDigest, Digest(Wuxi.Communities));
    }

    // Cross-checked against an independent Python re-implementation of the generator.
    private const int PinnedCommunityCount = 1064;
    private const uint PinnedDigest = 2368652116;
    private static readonly Region PinnedFirstCommunity = new("320205001001", RegionLevel.Community, "东林社区", "320205001");

    private static IEnumerable<Region> StreetsWithSuffix(int from, int to) =>
        Wuxi.Streets.Where(s => int.Parse(s.Code.AsSpan(6, 3)) is var n && n >= from && n <= to);

    // FNV-1a over "code name|" for every community, written here independently of the production hash.
    private static uint Digest(IEnumerable<Region> regions)
    {
        var hash = 2166136261u;
        foreach (var region in regions)
        {
            foreach (var c in $"{region.Code} {region.Name}|")
            {
                hash = unchecked((hash ^ c) * 16777619u);
            }
        }

        return hash;
    }
}
