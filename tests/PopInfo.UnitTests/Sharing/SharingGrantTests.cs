using PopInfo.Domain.Records;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Sharing;

namespace PopInfo.UnitTests.Sharing;

public class SharingGrantTests
{
    private static readonly RegionCatalogue Regions = RegionCatalogue.Wuxi;

    private static SharingGrant School() => new(
        "edu-liangxi",
        new HashSet<string> { SharingOperations.Verify, SharingOperations.Lookup },
        new Dictionary<string, string>
        {
            [PersonFields.Name] = DisplayMasks.Plain,
            [PersonFields.IdNumber] = DisplayMasks.Masked,
            [PersonFields.BirthDate] = DisplayMasks.Plain,
            ["residenceRegionCode"] = DisplayMasks.Plain,
        },
        ["320213"],
        new HashSet<string> { "school-enrolment" },
        RequestsPerMinute: 600,
        DailyQuota: 20_000);

    [Fact]
    public void A_well_formed_grant_has_no_problems()
    {
        Assert.Empty(School().Problems(Regions));
    }

    [Fact]
    public void Each_broken_rule_of_a_grant_is_named_with_its_field()
    {
        var grant = School() with
        {
            Operations = new HashSet<string> { "export-all" },
            Fields = new Dictionary<string, string> { ["salary"] = DisplayMasks.Plain, [PersonFields.Sex] = DisplayMasks.Masked, [PersonFields.Phone] = "blurred" },
            Regions = ["999999"],
            Purposes = new HashSet<string> { "curiosity" },
            RequestsPerMinute = 0,
            DailyQuota = 0,
        };
        var rules = grant.Problems(Regions).Select(p => (p.Field, p.Rule)).ToList();
        Assert.Equal(
            [
                ("operations", GrantRules.OperationUnknown), ("fields", GrantRules.FieldUnknown), ("fields", GrantRules.MaskUnknown),
                ("fields", GrantRules.MaskUnknown), ("regions", GrantRules.RegionUnknown), ("purposes", GrantRules.PurposeUnknown),
                ("requestsPerMinute", GrantRules.LimitRange), ("dailyQuota", GrantRules.LimitRange),
            ],
            rules);
    }

    [Theory]
    [InlineData(SharingOperations.Lookup, "school-enrolment", null)]
    [InlineData(SharingOperations.Household, "school-enrolment", GrantRules.OperationNotGranted)]
    [InlineData(SharingOperations.Lookup, "tax-administration", GrantRules.PurposeNotGranted)]
    [InlineData(SharingOperations.Lookup, "no-such-purpose", GrantRules.PurposeUnknown)]
    [InlineData(SharingOperations.Lookup, null, GrantRules.PurposeUnknown)]
    public void A_request_is_refused_with_the_first_rule_it_breaks(string operation, string? purpose, string? rule)
    {
        Assert.Equal(rule, School().Refusal(operation, purpose)?.Rule);
    }

    [Fact]
    public void Regions_cover_the_people_living_within_them()
    {
        var grant = School();
        var inside = Regions.Communities.First(c => Regions.IsWithin(c.Code, "320213")).Code;
        var outside = Regions.Communities.First(c => !Regions.IsWithin(c.Code, "320213")).Code;
        Assert.True(grant.Covers(inside, Regions));
        Assert.False(grant.Covers(outside, Regions));
        Assert.False(grant.Covers(null, Regions));
    }

    [Fact]
    public void A_projection_holds_the_granted_fields_only_each_as_granted()
    {
        var record = PersonFields.All.ToDictionary(f => f, f => (string?)$"value of {f}", StringComparer.Ordinal);
        record[PersonFields.IdNumber] = "32021319900307123X";
        var shown = School().Project(record);
        Assert.Equal(School().Fields.Keys.Order(StringComparer.Ordinal), shown.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("3202**********123X", shown[PersonFields.IdNumber]);
        Assert.Equal($"value of {PersonFields.Name}", shown[PersonFields.Name]);
        Assert.DoesNotContain(PersonFields.Phone, shown.Keys);
    }
}
