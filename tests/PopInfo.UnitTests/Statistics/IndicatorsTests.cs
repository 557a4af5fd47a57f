using PopInfo.Domain.Statistics;

namespace PopInfo.UnitTests.Statistics;

public class IndicatorsTests
{
    [Fact]
    public void Ratios_follow_the_census_definitions()
    {
        // 新吴区 2020: 14.04 % aged 0–14, 11.18 % aged 65+ of 720,215; the rest 15–64.
        Assert.Equal(25.0, Indicators.ChildDependency(250, 1000));
        Assert.Equal(15.0, Indicators.OldAgeDependency(150, 1000));
        Assert.Equal(40.0, Indicators.TotalDependency(250, 150, 1000));
        Assert.Equal(106.52, Indicators.SexRatio(3_848_880, 3_613_255)!.Value, 2);
        Assert.Equal(2.56, Indicators.AverageHouseholdSize(6_883_610, 2_687_898)!.Value, 2);
        Assert.Equal(12.5, Indicators.Percent(1, 8));
    }

    [Fact]
    public void A_zero_denominator_gives_no_figure()
    {
        Assert.Null(Indicators.SexRatio(5, 0));
        Assert.Null(Indicators.ChildDependency(5, 0));
        Assert.Null(Indicators.AverageHouseholdSize(5, 0));
        Assert.Null(Indicators.Percent(1, 0));
        Assert.Null(Indicators.PerThousandPerYear(1, 0, 30));
    }

    [Fact]
    public void A_month_rate_is_annualised_per_thousand()
    {
        // 39,216 births in 2020 among 5,089,600 registered: 7.7 ‰; one twelfth of them in a 30.44-day month gives the same rate.
        Assert.Equal(7.705, Indicators.PerThousandPerYear(39_216, 5_089_600, 366)!.Value * 366 / 365.25, 3);
        Assert.Equal(7.705, Indicators.PerThousandPerYear(39_216 / 12.0, 5_089_600, 30)!.Value * 30 * 12 / 365.25, 3);
    }
}
