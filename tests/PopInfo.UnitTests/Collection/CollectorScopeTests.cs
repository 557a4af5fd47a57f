using PopInfo.Collection.Forms;

namespace PopInfo.UnitTests.Collection;

/// <summary>The table of docs/security.md, "Collectors act within their community", row by row.</summary>
public sealed class CollectorScopeTests
{
    private const string Here = "320213021001";
    private const string There = "320213021002";
    private const string HomeCounty = "510105";

    private static readonly Dictionary<string, string> NoFields = [];

    [Fact]
    public void Every_form_type_has_a_rule()
    {
        Assert.All(FormTypes.All, t => CollectorScope.BasisOf(t));
        Assert.Equal(
            ["death", "move-out", "migrant-departure", "correction", "household-change"],
            FormTypes.All.Where(CollectorScope.NeedsRegister).Select(t => t.Code));
    }

    [Theory]
    [InlineData("death")]
    [InlineData("correction")]
    [InlineData("move-out")]
    [InlineData("household-change")]
    public void A_form_about_a_person_is_the_community_s_where_they_live_or_are_registered(string code)
    {
        var type = FormTypes.Find(code)!;

        Assert.Null(CollectorScope.Check(type, Here, NoFields, true, new PersonRegions(Here, Here)));
        Assert.Null(CollectorScope.Check(type, Here, NoFields, true, new PersonRegions(Here, There)));
        Assert.Null(CollectorScope.Check(type, Here, NoFields, true, new PersonRegions(There, Here)));
        var refused = CollectorScope.Check(type, Here, NoFields, true, new PersonRegions(There, There));
        Assert.Equal(("idNumber", CollectorScope.PersonOutsideCommunity), (refused?.Field, refused?.Rule));
        // Someone who left the city has no residence; their registration still counts.
        Assert.Null(CollectorScope.Check(type, Here, NoFields, true, new PersonRegions(null, Here)));
        Assert.Equal(CollectorScope.PersonOutsideCommunity, CollectorScope.Check(type, Here, NoFields, true, new PersonRegions(null, null))?.Rule);
    }

    [Fact]
    public void A_migrant_s_departure_is_filed_where_the_migrant_lives()
    {
        var type = FormTypes.MigrantDeparture;

        Assert.Null(CollectorScope.Check(type, Here, NoFields, true, new PersonRegions(Here, HomeCounty)));
        var refused = CollectorScope.Check(type, Here, NoFields, true, new PersonRegions(There, HomeCounty));
        Assert.Equal(("idNumber", CollectorScope.MigrantLivesElsewhere), (refused?.Field, refused?.Rule));
        // Registered here is not enough for a migrant: the departure is about where they live.
        Assert.Equal(CollectorScope.MigrantLivesElsewhere, CollectorScope.Check(type, Here, NoFields, true, new PersonRegions(There, Here))?.Rule);
    }

    [Fact]
    public void A_move_within_the_city_is_filed_at_the_destination_whatever_the_register_says()
    {
        var type = FormTypes.MoveWithinCity;

        Assert.Null(CollectorScope.Check(type, Here, new Dictionary<string, string> { ["residenceRegionCode"] = Here }, true, null));
        var refused = CollectorScope.Check(type, There, new Dictionary<string, string> { ["residenceRegionCode"] = Here }, true, null);
        Assert.Equal(("residenceRegionCode", CollectorScope.MoveNotAtDestination), (refused?.Field, refused?.Rule));
        // The origin community does not file it, even if the person lives there now.
        Assert.Equal(CollectorScope.MoveNotAtDestination,
            CollectorScope.Check(type, There, new Dictionary<string, string> { ["residenceRegionCode"] = Here }, true, new PersonRegions(There, There))?.Rule);
        // Needs no register: decided from the form alone, also when the registry is away.
        Assert.Null(CollectorScope.Check(type, Here, new Dictionary<string, string> { ["residenceRegionCode"] = Here }, false, null));
    }

    [Theory]
    [InlineData("birth")]
    [InlineData("move-in")]
    [InlineData("migrant-arrival")]
    public void A_new_person_is_the_community_s_they_come_to_live_or_be_registered_in(string code)
    {
        var type = FormTypes.Find(code)!;

        // No residence on the form: the person lives in the desk's community.
        Assert.Null(CollectorScope.Check(type, Here, NoFields, false, null));
        Assert.Null(CollectorScope.Check(type, Here, new Dictionary<string, string> { ["residenceRegionCode"] = Here }, true, null));
        Assert.Null(CollectorScope.Check(type, Here, new Dictionary<string, string> { ["residenceRegionCode"] = There, ["registeredRegionCode"] = Here }, true, null));
        var elsewhere = CollectorScope.Check(type, Here, new Dictionary<string, string> { ["residenceRegionCode"] = There }, true, null);
        Assert.Equal(("residenceRegionCode", CollectorScope.ArrivalOutsideCommunity), (elsewhere?.Field, elsewhere?.Rule));
        var registeredElsewhere = CollectorScope.Check(type, Here, new Dictionary<string, string> { ["residenceRegionCode"] = There, ["registeredRegionCode"] = There }, true, null);
        Assert.Equal(CollectorScope.ArrivalOutsideCommunity, registeredElsewhere?.Rule);
    }

    [Theory]
    [InlineData("death")]
    [InlineData("correction")]
    [InlineData("move-out")]
    [InlineData("household-change")]
    [InlineData("migrant-departure")]
    public void Without_the_register_a_form_about_a_person_is_refused_not_guessed(string code)
    {
        var refused = CollectorScope.Check(FormTypes.Find(code)!, Here, NoFields, false, null);

        Assert.Equal(("idNumber", CollectorScope.RegisterUnavailable), (refused?.Field, refused?.Rule));
    }

    [Fact]
    public void A_person_the_register_does_not_have_is_left_to_the_register_rule()
    {
        // person.in-register names that; the scope rule has nobody to place.
        Assert.Null(CollectorScope.Check(FormTypes.Death, Here, NoFields, true, null));
    }
}
