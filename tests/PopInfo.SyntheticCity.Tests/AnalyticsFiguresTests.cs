using Microsoft.Extensions.Time.Testing;
using PopInfo.Analytics.Engine;
using PopInfo.Analytics.Projection;
using PopInfo.Analytics.Protection;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;
using PopInfo.SyntheticCity.Generation;

namespace PopInfo.SyntheticCity.Tests;

/// <summary>
/// The analytics service's true figures (before protection) against the generated city itself: population tables of past
/// dates on both clocks and monthly births and deaths, recomputed from the generator's own timelines (their
/// <see cref="PersonTimeline.AsOf"/> and versions), with none of the service's code.
/// </summary>
public sealed class AnalyticsFiguresTests
{
    private static readonly Lazy<(TableService Tables, SeriesService Series)> Service = new(() =>
    {
        var index = new PopulationIndex(new Categories(RegionCatalogue.Wuxi), new RecordKeys(new byte[32]));
        index.Apply(Cities.HundredThousandWithHistory.SelectMany(u => u.People).SelectMany(Facts));
        var disclosure = new Disclosure(new CellKeyPerturbation());
        var watermark = new ProjectionWatermark();
        var tables = new TableService(index, disclosure, watermark, new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero)));
        return (tables, new SeriesService(index, tables, disclosure, watermark));
    });

    [Theory]
    [InlineData("2020-11-01", "occurred")]
    [InlineData("2022-06-30", "occurred")]
    [InlineData("2024-02-29", "recorded")]
    [InlineData("2025-12-31", "occurred")]
    [InlineData("2025-12-31", "recorded")]
    public void Population_by_district_sex_and_band_is_the_generated_city_s(string day, string basis)
    {
        var date = DateOnly.Parse(day);
        var endOfDay = CityHistory.AtLocalMidnight(date.AddDays(1)).AddTicks(-1);
        var expected = new Dictionary<(string, string, string), long>();
        foreach (var person in Cities.HundredThousandWithHistory.SelectMany(u => u.People))
        {
            var version = basis == "occurred"
                ? person.AsOf(endOfDay)
                : person.Versions.LastOrDefault(v => v.RecordedAt <= endOfDay);
            if (version?.Record is not { Status: "living", ResidenceRegionCode: { } community } record)
            {
                continue;
            }

            var age = CityStatistics.AgeOn(record.BirthDate, date);
            var band = age >= 100 ? "100+" : $"{age / 5 * 5}-{age / 5 * 5 + 4}";
            var key = (RegionCatalogue.Wuxi.DistrictOf(community)!.Code, record.Sex, band);
            expected[key] = expected.GetValueOrDefault(key) + 1;
        }

        var table = Service.Value.Tables.Build(new TableRequest("district", "sex,ageBand", null, null, day, basis), protect: false).Value!;
        var actual = new Dictionary<(string, string, string), long>();
        for (var r = 0; r < table.RowKeys.Count; r++)
        {
            for (var c = 0; c < table.ColumnKeys.Count; c++)
            {
                if (table.Cells[r][c] != 0)
                {
                    actual[(table.RowKeys[r][0], table.ColumnKeys[c][0], table.ColumnKeys[c][1])] = table.Cells[r][c];
                }
            }
        }

        Assert.True(expected.Count > 100, "the city has people on that day");
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
        Assert.Equal(expected.Values.Sum(), table.Total);
    }

    [Fact]
    public void Births_and_deaths_by_month_are_the_generated_city_s()
    {
        var series = Service.Value.Series.Build(null, "2021-01", "2025-12", protect: false).Value!;
        var versions = Cities.HundredThousandWithHistory.SelectMany(u => u.People).SelectMany(p => p.Versions).ToList();
        foreach (var month in series.Months)
        {
            var first = DateOnly.Parse(month.Month + "-01");
            bool InMonth(PersonVersion v) => ChinaTime.DateOf(v.OccurredAt) is var d && d >= first && d < first.AddMonths(1);
            Assert.Equal(versions.Count(v => v.ChangeType == "born" && InMonth(v)), month.Births);
            Assert.Equal(versions.Count(v => v.ChangeType == "died" && InMonth(v)), month.Deaths);
            Assert.Equal(versions.Count(v => v.ChangeType == "migrant-arrived" && InMonth(v)), month.MigrantArrivals);
            Assert.Equal(versions.Count(v => v.ChangeType == "migrant-departed" && InMonth(v)), month.MigrantDepartures);
            Assert.Equal(versions.Count(v => v.ChangeType == "moved-within-city" && InMonth(v)), month.MovedWithinRegion);
        }

        Assert.True(series.Months.Sum(m => m.Births) > 100, "the history has births");
    }

    private static IEnumerable<PersonFacts> Facts(PersonTimeline person) =>
        person.Versions.Select((v, i) => PersonFacts.From(v.Record, i + 1, v.ChangeType, v.OccurredAt, v.RecordedAt, null));
}
