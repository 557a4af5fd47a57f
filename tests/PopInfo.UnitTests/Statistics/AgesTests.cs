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

    [Fact]
    public void The_table_by_birth_day_gives_each_birth_day_its_single_year()
    {
        var day = new DateOnly(2024, 2, 29).DayNumber;
        var first = new DateOnly(1900, 1, 1).DayNumber;
        var table = Ages.SingleYearsByBirthDay(first, day);
        Assert.Equal(day - first + 1, table.Length);
        foreach (var birth in new[] { new DateOnly(1900, 1, 1), new DateOnly(1923, 3, 1), new DateOnly(1990, 2, 28), new DateOnly(2020, 2, 29), new DateOnly(2024, 2, 29) })
        {
            Assert.Equal(Ages.SingleYear(Ages.On(birth, DateOnly.FromDayNumber(day))), table[birth.DayNumber - first]);
        }

        Assert.Equal(100, table[0]); // 124 years: the open-ended year
        Assert.Equal(4, table[new DateOnly(2020, 2, 29).DayNumber - first]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ages.SingleYearsByBirthDay(day + 1, day));
    }
}
