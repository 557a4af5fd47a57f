using PopInfo.Domain.Statistics;

namespace PopInfo.UnitTests.Statistics;

public class AgesTests
{
    [Theory]
    [InlineData("2000-06-15", "2000-06-14", -1)]
    [InlineData("2000-06-15", "2000-06-15", 0)]
    [InlineData("2000-06-15", "2026-06-14", 25)]
    [InlineData("2000-06-15", "2026-06-15", 26)]
    [InlineData("2000-02-29", "2025-02-28", 24)] // a leap-day birthday is reached on 1 March in common years
    [InlineData("2000-02-29", "2025-03-01", 25)]
    [InlineData("2000-02-29", "2024-02-29", 24)]
    public void Age_is_completed_years(string birth, string on, int expected) =>
        Assert.Equal(expected, Ages.On(DateOnly.Parse(birth), DateOnly.Parse(on)));

    [Theory]
    [InlineData(0, 0, "0-4")]
    [InlineData(4, 0, "0-4")]
    [InlineData(5, 1, "5-9")]
    [InlineData(99, 19, "95-99")]
    [InlineData(100, 20, "100+")]
    [InlineData(117, 20, "100+")]
    public void Five_year_bands_end_open_at_100(int age, int band, string label)
    {
        Assert.Equal(band, Ages.FiveYearBand(age));
        Assert.Equal(label, Ages.FiveYearBandLabel(Ages.FiveYearBand(age)));
    }

    [Fact]
    public void The_planners_groups_partition_by_three_and_nest_the_old()
    {
        for (var age = 0; age <= 110; age++)
        {
            var partition = new[] { 0, 1, 2 }.Count(g => Ages.InPlannerGroup(age, g));
            Assert.Equal(1, partition);
            Assert.Equal(age >= 65, Ages.InPlannerGroup(age, 3));
            Assert.Equal(age >= 80, Ages.InPlannerGroup(age, 4));
            Assert.True(!Ages.InPlannerGroup(age, 4) || Ages.InPlannerGroup(age, 3));
            Assert.True(!Ages.InPlannerGroup(age, 3) || Ages.InPlannerGroup(age, 2));
        }

        Assert.Equal(["0-14", "15-59", "60+", "65+", "80+"], Ages.PlannerGroups);
    }

    [Fact]
    public void The_city_clock_is_china_standard_time()
    {
        // 16:00 UTC on 31 December is already 1 January in Wuxi.
        Assert.Equal(new DateOnly(2026, 1, 1), ChinaTime.DateOf(new DateTimeOffset(2025, 12, 31, 16, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2025, 12, 31), ChinaTime.DateOf(new DateTimeOffset(2025, 12, 31, 15, 59, 59, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2025, 12, 31, 16, 0, 0, TimeSpan.Zero), ChinaTime.StartOf(new DateOnly(2026, 1, 1)));
    }
}
