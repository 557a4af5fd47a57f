using Microsoft.Extensions.Time.Testing;
using PopInfo.Collection.Forms;
using PopInfo.Domain.Statistics;

namespace PopInfo.UnitTests.Statistics;

/// <summary>The city's clock, UTC+8 without daylight saving, and the desk's business day that reads it.</summary>
public class ChinaTimeTests
{
    [Fact]
    public void The_citys_day_begins_at_sixteen_hundred_utc_the_day_before()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 15, 59, 59, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 12, 6), ChinaTime.Today(clock));
        Assert.Equal("2026-12-06", BusinessDay.Today(clock));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new DateOnly(2026, 12, 7), ChinaTime.Today(clock));
        Assert.Equal("2026-12-07", BusinessDay.Today(clock));
    }

    [Fact]
    public void A_local_date_starts_at_local_midnight()
    {
        var start = ChinaTime.StartOf(new DateOnly(2026, 7, 1));
        Assert.Equal(new DateTimeOffset(2026, 6, 30, 16, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(TimeSpan.FromHours(8), start.Offset);
        Assert.Equal(new DateOnly(2026, 7, 1), ChinaTime.DateOf(start));
        Assert.Equal(new DateOnly(2026, 6, 30), ChinaTime.DateOf(start.AddTicks(-1)));
    }
}
