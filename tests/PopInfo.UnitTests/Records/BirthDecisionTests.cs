using PopInfo.Domain.Codes;
using PopInfo.Domain.Records;

namespace PopInfo.UnitTests.Records;

public class BirthDecisionTests
{
    private static readonly DateOnly Born = new(2026, 11, 20);
    private static readonly Mother ResidentMother = new(SexCodes.Female, new DateOnly(1995, 6, 1), null, ResidenceTypes.Registered, HasMigrantDetails: false);

    [Fact]
    public void Without_a_mother_the_newborn_is_a_registered_resident_never_married_unless_told()
    {
        Assert.Equal(Ruling.Accept(new Newborn(ResidenceTypes.Registered, false, MaritalStatusCodes.Unmarried)), BirthDecision.Decide(false, null, Born, null));
        Assert.Equal("10", MaritalStatusCodes.Unmarried);
        Assert.Equal(MaritalStatusCodes.Married, BirthDecision.Decide(false, null, Born, MaritalStatusCodes.Married).Change?.MaritalStatus);
    }

    [Fact]
    public void The_newborn_shares_the_mothers_residence_and_a_migrant_mothers_details()
    {
        Assert.Equal(Ruling.Accept(new Newborn(ResidenceTypes.Registered, false, "10")), BirthDecision.Decide(true, ResidentMother, Born, null));

        var migrant = ResidentMother with { ResidenceType = ResidenceTypes.Migrant, HasMigrantDetails = true };
        Assert.Equal(Ruling.Accept(new Newborn(ResidenceTypes.Migrant, true, "10")), BirthDecision.Decide(true, migrant, Born, null));
        Assert.Equal(Ruling.Accept(new Newborn(ResidenceTypes.Migrant, false, "10")), BirthDecision.Decide(true, migrant with { HasMigrantDetails = false }, Born, null));
    }

    [Fact]
    public void A_mother_named_but_not_in_the_register_is_refused()
    {
        Assert.Equal(new RuleBreach("motherId", "mother.exists", "The mother is not in the register."), BirthDecision.Decide(true, null, Born, null).Breach);
    }

    [Theory]
    [InlineData(SexCodes.Male)]
    [InlineData(SexCodes.Unknown)]
    [InlineData(SexCodes.Unstated)]
    public void A_mother_is_female(string sex)
    {
        Assert.Equal("2", SexCodes.Female);
        Assert.Equal(
            new RuleBreach("motherId", "mother.female", "The person given as mother is not female."),
            BirthDecision.Decide(true, ResidentMother with { Sex = sex }, Born, null).Breach);
    }

    [Fact]
    public void A_mother_is_at_least_twelve_at_the_birth()
    {
        var implausible = new RuleBreach("motherId", "mother.plausible-age", "The mother was not between 12 years old and alive at the child's birth.");
        var twelveOnTheBirthDay = ResidentMother with { BirthDate = Born.AddYears(-12) };
        Assert.True(BirthDecision.Decide(true, twelveOnTheBirthDay, Born, null).Accepted);
        Assert.Equal(implausible, BirthDecision.Decide(true, twelveOnTheBirthDay with { BirthDate = Born.AddYears(-12).AddDays(1) }, Born, null).Breach);
    }

    [Fact]
    public void A_child_is_born_no_later_than_the_day_after_the_mothers_death()
    {
        var implausible = new RuleBreach("motherId", "mother.plausible-age", "The mother was not between 12 years old and alive at the child's birth.");
        Assert.True(BirthDecision.Decide(true, ResidentMother with { DeathDate = Born.AddDays(-1) }, Born, null).Accepted);
        Assert.Equal(implausible, BirthDecision.Decide(true, ResidentMother with { DeathDate = Born.AddDays(-2) }, Born, null).Breach);
    }

    [Fact]
    public void The_newborn_lives_and_is_registered_where_the_mother_is_unless_the_birth_says_otherwise_field_by_field()
    {
        var mothers = new Addresses("春华路1号", "320205001001", "户籍路2号", "320205001002");

        Assert.Equal(mothers, BirthDecision.AddressesOf(new(null, null, null, null), mothers));
        Assert.Equal(new Addresses("新家3号", "320205001003", "户籍路2号", "320205001002"),
            BirthDecision.AddressesOf(new("新家3号", "320205001003", null, null), mothers));
    }

    [Fact]
    public void Without_a_mother_in_the_register_the_newborn_has_the_addresses_the_birth_gives()
    {
        var given = new Addresses(null, "320205001001", null, null);

        Assert.Equal(given, BirthDecision.AddressesOf(given, null));
    }
}
