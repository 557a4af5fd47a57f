using PopInfo.Contracts.Registry;
using PopInfo.Domain.Regions;
using PopInfo.Exchange.Departments;
using PopInfo.Exchange.Projection;

namespace PopInfo.UnitTests.Exchange;

public sealed class SubscriptionMatcherTests
{
    private static readonly RegionCatalogue Wuxi = RegionCatalogue.Wuxi;
    private static readonly Region Community = Wuxi.Communities[0];
    private static readonly Region OtherDistrictCommunity = Wuxi.Communities.First(c => Wuxi.DistrictOf(c.Code)!.Code != Wuxi.DistrictOf(Community.Code)!.Code);
    private readonly SubscriptionMatcher matcher = new(Wuxi);

    private static Subscription To(string[] changeTypes, params string[] regions) =>
        new(Guid.NewGuid(), "dept", changeTypes, regions, ["sex"], "A purpose long enough.", "active", 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    private static PersonChanged Change(string type, string? residence, string? previous = null, string? registered = null) => new()
    {
        EventId = Guid.NewGuid(),
        Sequence = 1,
        PersonId = Guid.NewGuid(),
        IdNumber = "32020519900307002X",
        ChangeType = type,
        ChangedFields = [],
        Version = 2,
        Person = new PersonRecord
        {
            PersonId = Guid.NewGuid(), IdNumber = "32020519900307002X", Name = "王芳", Sex = "2", BirthDate = new DateOnly(1990, 3, 7), Ethnicity = "01",
            ResidenceType = "registered", Status = "living", ResidenceRegionCode = residence, RegisteredRegionCode = registered,
        },
        PreviousResidenceRegionCode = previous,
        OccurredAt = DateTimeOffset.UtcNow,
        RecordedAt = DateTimeOffset.UtcNow,
        Source = "api",
    };

    [Fact]
    public void A_region_at_any_level_holds_the_communities_below_it()
    {
        var change = Change("born", Community.Code);
        Assert.True(matcher.Matches(To(["born"], Community.Code), change));
        Assert.True(matcher.Matches(To(["born"], Community.ParentCode!), change));
        Assert.True(matcher.Matches(To(["born"], Wuxi.DistrictOf(Community.Code)!.Code), change));
        Assert.True(matcher.Matches(To(["born"], Wuxi.CityCode), change));
        Assert.False(matcher.Matches(To(["born"], OtherDistrictCommunity.Code), change));
    }

    [Fact]
    public void Only_subscribed_change_types_match()
    {
        Assert.False(matcher.Matches(To(["died"], Wuxi.CityCode), Change("born", Community.Code)));
    }

    [Fact]
    public void A_person_who_left_the_region_is_still_heard_of_there()
    {
        var movedOut = Change("moved-out", residence: null, previous: Community.Code);
        Assert.True(matcher.Matches(To(["moved-out"], Community.Code), movedOut));

        var movedAway = Change("moved-within-city", residence: OtherDistrictCommunity.Code, previous: Community.Code);
        Assert.True(matcher.Matches(To(["moved-within-city"], Community.Code), movedAway));
        Assert.True(matcher.Matches(To(["moved-within-city"], OtherDistrictCommunity.Code), movedAway));
    }

    [Fact]
    public void The_registered_region_counts_too()
    {
        var livesElsewhere = Change("corrected", residence: OtherDistrictCommunity.Code, registered: Community.Code);
        Assert.True(matcher.Matches(To(["corrected"], Community.Code), livesElsewhere));
    }
}
