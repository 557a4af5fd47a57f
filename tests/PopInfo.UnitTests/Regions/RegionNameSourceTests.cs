using PopInfo.Domain.Regions;

namespace PopInfo.UnitTests.Regions;

/// <summary>No generated name passes for an official one: the divisions file's names are official, the communities' generated.</summary>
public class RegionNameSourceTests
{
    [Fact]
    public void The_city_districts_and_streets_are_official_and_every_community_is_generated()
    {
        var wuxi = RegionCatalogue.Wuxi;

        Assert.Equal(1 + 7 + 88, wuxi.All.Count(r => RegionNameSource.Of(r) == RegionNameSource.Official));
        Assert.Equal(wuxi.CommunityCount, wuxi.All.Count(r => RegionNameSource.Of(r) == RegionNameSource.Generated));
        Assert.Equal(RegionNameSource.Generated, RegionNameSource.Of(new Region("320205001001", RegionLevel.Community, "东林社区", "320205001")));
        Assert.Equal(RegionNameSource.Official, RegionNameSource.Of(new Region("320213", RegionLevel.District, "梁溪区", "320200")));
    }
}
