using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Tests;

/// <summary>The generated city against Wuxi's 2020 census, with tolerances that 200,000 people comfortably meet.</summary>
public sealed class CensusTests
{
    private static readonly Lazy<CityStatistics> Stats = new(() =>
    {
        var stats = new CityStatistics(Cities.AsOf);
        foreach (var h in Cities.TwoHundredThousand)
        {
            stats.Add(h);
        }

        return stats;
    });

    [Fact]
    public void Sex_ratio_is_near_the_census_106_52() =>
        Assert.InRange(Stats.Value.SexRatio, 104.5, 108.5);

    [Fact]
    public void Age_shares_are_near_the_census()
    {
        var s = Stats.Value;
        Assert.InRange(s.AgeShare(0, 14), 0.125, 0.145);
        Assert.InRange(s.AgeShare(15, 59), 0.68, 0.72);
        Assert.InRange(s.AgeShare(60, 200), 0.155, 0.18);
        Assert.InRange(s.AgeShare(65, 200), 0.11, 0.13);
    }

    [Fact]
    public void About_a_third_are_migrants() =>
        Assert.InRange(Stats.Value.MigrantShare, 0.30, 0.37);

    [Fact]
    public void Households_average_2_56_people_and_collective_households_hold_about_8_percent()
    {
        var s = Stats.Value;
        Assert.InRange(s.AverageFamilySize, 2.45, 2.65);
        Assert.InRange(s.CollectiveMembers / (double)s.People, 0.06, 0.095);
        Assert.InRange(s.FamilySizeShare(1), 0.22, 0.30);
        Assert.InRange(s.FamilySizeShare(2), 0.27, 0.35);
        Assert.True(s.FamilySizeShare(6) + s.FamilySizeShare(7) + s.FamilySizeShare(8) > 0.02);
    }

    [Fact]
    public void Districts_get_their_census_shares()
    {
        var s = Stats.Value;
        foreach (var district in Districts.All)
        {
            var share = s.ByDistrict.GetValueOrDefault(district.Code) / (double)s.People;
            Assert.InRange(share, (district.PopulationWeight / 10_000.0) - 0.01, (district.PopulationWeight / 10_000.0) + 0.01);
        }
    }

    [Fact]
    public void About_85_percent_of_those_over_12_have_a_mobile_number()
    {
        var s = Stats.Value;
        Assert.InRange(s.OverTwelveWithPhone / (double)s.OverTwelve, 0.82, 0.88);
    }
}
