using PopInfo.Domain.Quality;
using PopInfo.Domain.Regions;

namespace PopInfo.UnitTests.Quality;

public class QualityRulesTests
{
    private static readonly DateOnly Today = new(2026, 12, 7);

    [Fact]
    public void Rule_codes_are_stable_and_distinct()
    {
        Assert.Equal(
            ["quality.missing-expected", "quality.implausible-age", "quality.migrant-overstay", "quality.household-without-head", "quality.duplicate-suspect"],
            QualityRules.All);
        Assert.True(QualityRules.IsRule("quality.implausible-age"));
        Assert.False(QualityRules.IsRule("quality.other"));
        Assert.False(QualityRules.IsRule(null));
    }

    [Fact]
    public void A_registered_child_needs_only_a_registered_address_and_a_migrant_child_nothing()
    {
        var child = new DateOnly(2010, 1, 1);
        Assert.Empty(QualityRules.MissingFields(child, Today, true, f => f == "registeredAddress" ? "Road 1" : null));
        Assert.Equal(["registeredAddress"], QualityRules.MissingFields(child, Today, true, _ => " "));
        Assert.Empty(QualityRules.MissingFields(child, Today, false, _ => null));
    }

    [Fact]
    public void An_adult_needs_phone_marital_status_and_education_from_the_eighteenth_birthday()
    {
        var eighteenToday = new DateOnly(2008, 12, 7);
        var eighteenTomorrow = new DateOnly(2008, 12, 8);
        Assert.Equal(["registeredAddress", "phone", "maritalStatus", "education"], QualityRules.MissingFields(eighteenToday, Today, true, _ => null));
        Assert.Equal(["phone", "maritalStatus", "education"], QualityRules.MissingFields(eighteenToday, Today, false, _ => null));
        Assert.Equal(["registeredAddress"], QualityRules.MissingFields(eighteenTomorrow, Today, true, _ => null));
        Assert.Equal(["education"], QualityRules.MissingFields(eighteenToday, Today, true, f => f == "education" ? "" : "x"));
    }

    [Theory]
    [InlineData("1916-12-07", false)] // exactly 110 today
    [InlineData("1916-12-06", false)] // 110, born a day earlier
    [InlineData("1915-12-08", false)] // 110, 111 tomorrow
    [InlineData("1915-12-07", true)]  // 111 today
    [InlineData("1900-01-01", true)]
    public void Older_than_110_is_implausible(string birth, bool expected) =>
        Assert.Equal(expected, QualityRules.IsImplausibleAge(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), Today));

    [Theory]
    [InlineData("2026-06-07", 6, null, false)]          // the stay ends today: not past it
    [InlineData("2026-06-06", 6, null, true)]           // ended yesterday
    [InlineData("2026-06-06", 6, "2026-11-01", false)]  // left: not counted
    [InlineData("2026-05-31", 6, null, true)]           // 31 May + 6 months ends on 30 November
    public void A_migrant_who_has_not_left_overstays_after_arrival_plus_the_months(string arrival, int months, string? departure, bool expected)
    {
        var a = DateOnly.Parse(arrival, System.Globalization.CultureInfo.InvariantCulture);
        var d = departure is null ? (DateOnly?)null : DateOnly.Parse(departure, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, QualityRules.IsOverstay(a, months, d, Today));
    }

    [Fact]
    public void A_month_end_arrival_ends_at_the_shorter_months_end() =>
        Assert.Equal(new DateOnly(2026, 11, 30), QualityRules.ExpectedStayEnd(new DateOnly(2026, 5, 31), 6));

    [Fact]
    public void Only_relationship_02_is_the_head()
    {
        Assert.True(QualityRules.IsHead("02"));
        Assert.False(QualityRules.IsHead("01"));
        Assert.False(QualityRules.IsHead(null));
    }

    [Fact]
    public void Duplicate_keys_trim_the_name_and_keep_sex_and_birth_date_apart()
    {
        var born = new DateOnly(1990, 3, 4);
        Assert.Equal(QualityRules.DuplicateKey("王芳", born, "2"), QualityRules.DuplicateKey(" 王芳 ", born, "2"));
        Assert.NotEqual(QualityRules.DuplicateKey("王芳", born, "2"), QualityRules.DuplicateKey("王芳", born, "1"));
        Assert.NotEqual(QualityRules.DuplicateKey("王芳", born, "2"), QualityRules.DuplicateKey("王芳", born.AddDays(1), "2"));
    }

    [Fact]
    public void The_city_prefix_is_four_digits_and_every_community_starts_with_its_ancestors_prefixes()
    {
        var regions = RegionCatalogue.Wuxi;
        Assert.Equal("3202", QualityRules.CodePrefix(regions.All.Single(r => r.Level == RegionLevel.City)));
        var community = regions.Communities[0];
        regions.TryGet(community.ParentCode, out var street);
        Assert.StartsWith(QualityRules.CodePrefix(street!), community.Code, StringComparison.Ordinal);
        Assert.Equal(community.Code, QualityRules.CodePrefix(community));
    }
}
