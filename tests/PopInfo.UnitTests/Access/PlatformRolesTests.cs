using PopInfo.Domain.Access;
using PopInfo.Domain.Regions;

namespace PopInfo.UnitTests.Access;

public sealed class PlatformRolesTests
{
    private static readonly RegionCatalogue Wuxi = RegionCatalogue.Wuxi;

    [Fact]
    public void A_collector_is_bound_to_a_community_and_a_supervisor_to_a_street()
    {
        var community = Wuxi.Communities[0];
        Assert.Null(PlatformRoles.CheckRegion(PlatformRoles.Collector, community.Code, Wuxi));
        Assert.Null(PlatformRoles.CheckRegion(PlatformRoles.Supervisor, community.ParentCode, Wuxi));
        Assert.Equal("region.level", PlatformRoles.CheckRegion(PlatformRoles.Collector, community.ParentCode, Wuxi));
        Assert.Equal("region.level", PlatformRoles.CheckRegion(PlatformRoles.Supervisor, community.Code, Wuxi));
        Assert.Equal("region.required", PlatformRoles.CheckRegion(PlatformRoles.Collector, null, Wuxi));
        Assert.Equal("region.level", PlatformRoles.CheckRegion(PlatformRoles.Collector, "999999999999", Wuxi));
    }

    [Theory]
    [InlineData(PlatformRoles.Admin)]
    [InlineData(PlatformRoles.Planner)]
    [InlineData(PlatformRoles.Operator)]
    [InlineData(PlatformRoles.Auditor)]
    public void City_wide_roles_carry_no_region(string role)
    {
        Assert.Null(PlatformRoles.RegionLevelOf(role));
        Assert.Null(PlatformRoles.CheckRegion(role, null, Wuxi));
        Assert.Equal("region.none", PlatformRoles.CheckRegion(role, Wuxi.Districts[0].Code, Wuxi));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("root")]
    [InlineData("Admin")]
    public void An_unknown_role_is_refused(string? role) => Assert.Equal("role.known", PlatformRoles.CheckRegion(role, null, Wuxi));

    [Theory]
    [InlineData("zhang.li", true)]
    [InlineData("collector-a_1", true)]
    [InlineData("ab", false)]
    [InlineData("张丽", false)]
    [InlineData("a b c", false)]
    [InlineData(null, false)]
    public void A_user_name_is_3_to_40_ASCII_letters_digits_dashes_underscores_or_dots(string? name, bool expected) =>
        Assert.Equal(expected, PlatformRoles.IsUserName(name));

    [Fact]
    public void The_desk_takes_collectors_supervisors_and_administrators_only() =>
        Assert.Equal([PlatformRoles.Collector, PlatformRoles.Supervisor, PlatformRoles.Admin], PlatformRoles.Desk);
}
