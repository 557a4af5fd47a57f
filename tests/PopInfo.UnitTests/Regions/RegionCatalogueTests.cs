using PopInfo.Domain.Regions;

namespace PopInfo.UnitTests.Regions;

public class RegionCatalogueTests
{
    private static readonly RegionCatalogue Wuxi = RegionCatalogue.Wuxi;

    [Fact]
    public void Wuxi_has_one_city_seven_districts_and_88_streets()
    {
        var city = Assert.Single(Wuxi.All, r => r.Level == RegionLevel.City);
        Assert.Equal("320200", city.Code);
        Assert.Equal("无锡市", city.Name);
        Assert.Equal("320200", Wuxi.CityCode);

        Assert.Equal(7, Wuxi.Districts.Count);
        Assert.Equal(
            ["锡山区", "惠山区", "滨湖区", "梁溪区", "新吴区", "江阴市", "宜兴市"],
            Wuxi.Districts.Select(d => d.Name));
        Assert.Equal(88, Wuxi.Streets.Count);
        Assert.Equal(88, Wuxi.All.Count(r => r.Level == RegionLevel.Street));
    }

    [Fact]
    public void Wuxi_is_loaded_once_and_shared()
    {
        Assert.Same(RegionCatalogue.Wuxi, RegionCatalogue.Wuxi);
    }

    [Fact]
    public void Every_code_is_unique_and_has_the_length_of_its_level()
    {
        Assert.Equal(Wuxi.All.Count, Wuxi.All.Select(r => r.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(Wuxi.All, r =>
        {
            var expectedLength = r.Level switch
            {
                RegionLevel.City or RegionLevel.District => 6,
                RegionLevel.Street => 9,
                _ => 12,
            };
            Assert.Equal(expectedLength, r.Code.Length);
            Assert.All(r.Code, c => Assert.True(char.IsAsciiDigit(c)));
        });
    }

    [Fact]
    public void All_is_ordered_by_level_then_code()
    {
        var sorted = Wuxi.All.OrderBy(r => r.Level).ThenBy(r => r.Code, StringComparer.Ordinal);

        Assert.Equal(sorted, Wuxi.All);
    }

    [Fact]
    public void Lookup_finds_regions_of_every_level_and_rejects_unknown_codes()
    {
        Assert.True(Wuxi.TryGet("320213", out var liangxi));
        Assert.Equal("梁溪区", liangxi.Name);
        Assert.True(Wuxi.TryGet("320205001", out var dongting));
        Assert.Equal("东亭街道", dongting.Name);
        Assert.True(Wuxi.Contains(Wuxi.Communities[0].Code));

        Assert.False(Wuxi.TryGet("320000", out _));
        Assert.False(Wuxi.TryGet(null, out _));
        Assert.False(Wuxi.Contains(null));
        Assert.False(Wuxi.Contains("320202"));
    }

    [Fact]
    public void Children_are_the_regions_one_level_down()
    {
        Assert.Equal(Wuxi.Districts, Wuxi.ChildrenOf("320200"));

        var xishanStreets = Wuxi.ChildrenOf("320205");
        Assert.Equal(9, xishanStreets.Count);
        Assert.All(xishanStreets, s => Assert.Equal(RegionLevel.Street, s.Level));

        var dongtingCommunities = Wuxi.ChildrenOf("320205001");
        Assert.NotEmpty(dongtingCommunities);
        Assert.All(dongtingCommunities, c => Assert.Equal(RegionLevel.Community, c.Level));

        Assert.Empty(Wuxi.ChildrenOf(Wuxi.Communities[0].Code));
        Assert.Empty(Wuxi.ChildrenOf("999999"));
    }

    [Fact]
    public void Is_within_works_across_levels()
    {
        var community = Wuxi.ChildrenOf("320205001")[0].Code;

        Assert.True(Wuxi.IsWithin(community, community));
        Assert.True(Wuxi.IsWithin(community, "320205001"));
        Assert.True(Wuxi.IsWithin(community, "320205"));
        Assert.True(Wuxi.IsWithin(community, "320200"));
        Assert.True(Wuxi.IsWithin("320205001", "320200"));
        Assert.True(Wuxi.IsWithin("320281", "320281"));

        Assert.False(Wuxi.IsWithin(community, "320206"));
        Assert.False(Wuxi.IsWithin(community, "320205002"));
        Assert.False(Wuxi.IsWithin("320205", community));
        Assert.False(Wuxi.IsWithin("320200", "320205"));
        Assert.False(Wuxi.IsWithin("999999", "320200"));
        Assert.False(Wuxi.IsWithin(community, "999999"));
    }

    [Fact]
    public void District_of_walks_up_to_the_district_or_county_level_city()
    {
        var community = Wuxi.ChildrenOf("320282100")[0].Code;

        Assert.Equal("宜兴市", Wuxi.DistrictOf(community)?.Name);
        Assert.Equal("宜兴市", Wuxi.DistrictOf("320282100")?.Name);
        Assert.Equal("宜兴市", Wuxi.DistrictOf("320282")?.Name);
        Assert.Null(Wuxi.DistrictOf("320200"));
        Assert.Null(Wuxi.DistrictOf("999999999"));
    }

    [Fact]
    public void Every_district_and_street_has_its_parent_in_the_catalogue()
    {
        Assert.All(Wuxi.All.Where(r => r.Level is RegionLevel.District or RegionLevel.Street), r =>
        {
            Assert.True(Wuxi.TryGet(r.ParentCode, out var parent));
            Assert.Equal(r.Level - 1, parent.Level);
        });
    }
}
