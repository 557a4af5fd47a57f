using PopInfo.Analytics.Engine;
using PopInfo.Analytics.Projection;
using PopInfo.Domain.Statistics;

namespace PopInfo.IntegrationTests.Analytics;

/// <summary>
/// The store's gap-free low watermark on PostgreSQL, fed directly: changes overtaking each other across persons, repeats,
/// and an older version of a person arriving after a newer one (as competing instances will deliver them).
/// </summary>
public sealed class WatermarkTests(AnalyticsFixture fixture) : IClassFixture<AnalyticsFixture>
{
    [Fact]
    public async Task The_watermark_stands_below_a_gap_and_moves_over_it_once_filled()
    {
        fixture.StartAnalytics();
        await fixture.CaughtUpAsync();
        var projector = fixture.Service<Projector>();
        var index = fixture.Service<PopulationIndex>();
        var community = fixture.Communities[0];
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var day = new DateOnly(2025, 3, 1);

        // Sequence 3 (c's first version) and 2 (b's second) arrive before 1 (b's first): the watermark stays at 0.
        await projector.ApplyAsync([Facts(c, 1, 3, day, community), Facts(b, 2, 2, day.AddDays(10), community, status: "deceased")], CancellationToken.None);
        Assert.Equal(new ProjectionPosition(0, 2), index.Position);

        // A repeat of 3 changes nothing.
        await projector.ApplyAsync([Facts(c, 1, 3, day, community)], CancellationToken.None);
        Assert.Equal(new ProjectionPosition(0, 2), index.Position);

        // 1 arrives (b's older version, after its newer one) with 4 (a): the watermark moves over 1–4.
        await projector.ApplyAsync([Facts(b, 1, 1, day, community), Facts(a, 1, 4, day, community)], CancellationToken.None);
        Assert.Equal(new ProjectionPosition(4, 0), index.Position);
        Assert.Equal(4, (await fixture.Service<FactStore>().StateAsync(CancellationToken.None)).Low_Watermark);

        // b lived from 1 March and died on 11 March: the late older version took its place below the newer one.
        var tables = fixture.Service<TableService>();
        long Living(DateOnly on) => tables.Build(new TableRequest("community", null, null, community, on.ToString("yyyy-MM-dd"), null), protect: false).Value!.Total;
        Assert.Equal(3, Living(day.AddDays(5)));
        Assert.Equal(2, Living(day.AddDays(10)));
        Assert.Equal(0, Living(day.AddDays(-1)));
    }

    private static PersonFacts Facts(Guid person, int version, long sequence, DateOnly happened, string community, string status = "living") => new()
    {
        Person_Id = person, Version = version, Sequence = sequence, Change_Type = version == 1 ? "registered" : "died",
        Occurred_At = ChinaTime.StartOf(happened), Recorded_At = ChinaTime.StartOf(happened).AddHours(12), Status = status,
        Residence_Region_Code = community, Sex = "1", Birth_Date = new DateOnly(1950, 5, 5), Residence_Type = "registered", Ethnicity = "01",
    };
}
