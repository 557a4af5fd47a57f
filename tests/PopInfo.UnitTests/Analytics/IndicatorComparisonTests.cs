using Microsoft.Extensions.Time.Testing;
using PopInfo.Analytics.Engine;
using PopInfo.Analytics.Projection;
using PopInfo.Analytics.Protection;
using PopInfo.Domain.Statistics;

namespace PopInfo.UnitTests.Analytics;

/// <summary>Comparisons between regions and between dates: each answer is the region's own indicators on that date.</summary>
public class IndicatorComparisonTests
{
    private static IndicatorService Service()
    {
        var register = new RandomRegister(5, 3000);
        var index = RandomRegister.NewIndex();
        index.Apply(register.Versions);
        var disclosure = new Disclosure(new CellKeyPerturbation());
        var watermark = new ProjectionWatermark();
        var tables = new TableService(index, disclosure, watermark, new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 4, 0, 0, TimeSpan.Zero)));
        return new IndicatorService(index, tables, disclosure, watermark);
    }

    [Fact]
    public void Every_region_on_every_date_in_the_order_asked()
    {
        var service = Service();
        var regions = new[] { RandomRegister.Communities[0], RandomRegister.Regions.DistrictOf(RandomRegister.Communities[^1])!.Code };
        var result = service.Compare(string.Join(',', regions), "2019-01-01,2024-06-30", "recorded");

        Assert.True(result.Succeeded);
        var answers = result.Value!;
        Assert.Equal([regions[0], regions[0], regions[1], regions[1]], answers.Select(a => a.Region.Code));
        Assert.Equal(["2019-01-01", "2024-06-30", "2019-01-01", "2024-06-30"], answers.Select(a => a.AsOf.ToString("yyyy-MM-dd")));
        // Each is what asking for it alone gives (the same people, so the same protected values).
        Assert.Equal(service.Build(regions[1], "2019-01-01", "recorded").Value!.Population, answers[2].Population);
        Assert.All(answers, a => Assert.Equal("recorded", a.Basis));
    }

    [Fact]
    public void Too_many_regions_or_dates_and_unknown_ones_are_named()
    {
        var service = Service();
        Assert.Equal("regions.count", Assert.Single(service.Compare(string.Join(',', Enumerable.Repeat(RandomRegister.Communities[0], 11)), null, null).Violations).Rule);
        Assert.Equal("regions.count", Assert.Single(service.Compare("", null, null).Violations).Rule);
        Assert.Equal("dates.count", Assert.Single(service.Compare(RandomRegister.Communities[0], "2020-01-01,2020-01-02,2020-01-03,2020-01-04,2020-01-05,2020-01-06", null).Violations).Rule);
        var unknown = Assert.Single(service.Compare("999999", null, null).Violations);
        Assert.Equal(("regions", "region.known"), (unknown.Field, unknown.Rule));
        var future = Assert.Single(service.Compare(RandomRegister.Communities[0], "2030-01-01", null).Violations);
        Assert.Equal(("dates", "date.future"), (future.Field, future.Rule));
    }
}
