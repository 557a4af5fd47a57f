using PopInfo.Domain.Records;

namespace PopInfo.UnitTests.Records;

/// <summary>The register's decisions on a command, rule by rule, with the rule names and messages clients see.</summary>
public class PersonDecisionsTests
{
    private static readonly DateOnly Today = new(2026, 12, 7);
    private static readonly DateOnly Born = new(1990, 5, 1);

    private static readonly PersonState LivingResident = new(PersonStatus.Living, ResidenceTypes.Registered, Born);
    private static readonly PersonState LivingMigrant = new(PersonStatus.Living, ResidenceTypes.Migrant, Born, new DateOnly(2020, 3, 1));

    [Theory]
    [InlineData(PersonStatus.Deceased)]
    [InlineData(PersonStatus.MovedAway)]
    public void A_command_on_someone_not_living_is_a_conflict_naming_their_status(string status)
    {
        var breach = PersonDecisions.RequireLiving(LivingResident with { Status = status });

        Assert.Equal(new RuleBreach("personId", "state.person-living", $"The person's status is '{status}', not 'living'.", StateConflict: true), breach);
        Assert.Null(PersonDecisions.RequireLiving(LivingResident));
    }

    [Fact]
    public void A_move_in_makes_a_living_registered_resident_of_someone_new_departed_or_a_migrant()
    {
        var expected = new StatusChange(PersonStatus.Living, ResidenceTypes.Registered, LeavesHome: false);

        Assert.Equal(Ruling.Accept(expected), PersonDecisions.MoveIn(null));
        Assert.Equal(Ruling.Accept(expected), PersonDecisions.MoveIn(LivingResident with { Status = PersonStatus.MovedAway }));
        Assert.Equal(Ruling.Accept(expected), PersonDecisions.MoveIn(LivingMigrant));
    }

    [Fact]
    public void A_move_in_of_a_registered_resident_living_here_is_refused()
    {
        var ruling = PersonDecisions.MoveIn(LivingResident);

        Assert.False(ruling.Accepted);
        Assert.Equal(new RuleBreach("idNumber", "state.not-already-registered", "This person is already a registered resident living in the city."), ruling.Breach);
    }

    [Fact]
    public void A_migrant_arrives_unless_already_living_in_the_city()
    {
        var expected = Ruling.Accept(new StatusChange(PersonStatus.Living, ResidenceTypes.Migrant, LeavesHome: false));
        Assert.Equal(expected, PersonDecisions.MigrantArrival(null));
        Assert.Equal(expected, PersonDecisions.MigrantArrival(LivingMigrant with { Status = PersonStatus.MovedAway }));

        foreach (var living in new[] { LivingResident, LivingMigrant })
        {
            Assert.Equal(
                new RuleBreach("idNumber", "state.not-living-in-city", "This person already lives in the city; record a move within the city instead."),
                PersonDecisions.MigrantArrival(living).Breach);
        }
    }

    [Fact]
    public void A_death_leaves_residence_and_household_as_they_were()
    {
        Assert.Equal(Ruling.Accept(new StatusChange(PersonStatus.Deceased, ResidenceTypes.Migrant, LeavesHome: false)), PersonDecisions.Death(LivingMigrant));
        Assert.Equal("state.person-living", PersonDecisions.Death(LivingResident with { Status = PersonStatus.Deceased }).Breach?.Rule);
    }

    [Fact]
    public void A_registered_resident_moves_out_and_leaves_home_and_household()
    {
        Assert.Equal(
            Ruling.Accept(new StatusChange(PersonStatus.MovedAway, ResidenceTypes.Registered, LeavesHome: true)),
            PersonDecisions.MoveOut(LivingResident, Today, Today));
    }

    [Fact]
    public void A_move_out_is_refused_to_someone_not_living_then_to_a_migrant_then_for_its_date()
    {
        Assert.Equal("state.person-living", PersonDecisions.MoveOut(LivingMigrant with { Status = PersonStatus.MovedAway }, Today.AddDays(1), Today).Breach?.Rule);
        Assert.Equal(
            new RuleBreach("personId", "state.registered-resident", "A migrant leaves with a migrant departure, not a move-out."),
            PersonDecisions.MoveOut(LivingMigrant, Today.AddDays(1), Today).Breach);
        Assert.Equal(
            new RuleBreach("moveDate", "date.not-in-future", "The date is in the future."),
            PersonDecisions.MoveOut(LivingResident, Today.AddDays(1), Today).Breach);
        Assert.Equal(
            new RuleBreach("moveDate", "date.not-before-birth", "The date is before the person's birth."),
            PersonDecisions.MoveOut(LivingResident, Born.AddDays(-1), Today).Breach);
    }

    [Fact]
    public void A_migrant_departs_on_or_after_the_arrival_and_leaves_home_and_household()
    {
        Assert.Equal(
            Ruling.Accept(new StatusChange(PersonStatus.MovedAway, ResidenceTypes.Migrant, LeavesHome: true)),
            PersonDecisions.MigrantDeparture(LivingMigrant, LivingMigrant.MigrantArrivalDate!.Value, Today));
    }

    [Fact]
    public void A_departure_is_refused_to_someone_not_living_then_to_a_non_migrant_then_before_the_arrival_then_for_its_date()
    {
        var arrival = LivingMigrant.MigrantArrivalDate!.Value;
        Assert.Equal("state.person-living", PersonDecisions.MigrantDeparture(LivingMigrant with { Status = PersonStatus.Deceased }, arrival.AddDays(-1), Today).Breach?.Rule);

        var notAMigrant = new RuleBreach("personId", "state.migrant", "Only a migrant departs; a registered resident moves out.");
        Assert.Equal(notAMigrant, PersonDecisions.MigrantDeparture(LivingResident, arrival.AddDays(-1), Today).Breach);
        Assert.Equal(notAMigrant, PersonDecisions.MigrantDeparture(LivingMigrant with { MigrantArrivalDate = null }, arrival, Today).Breach);

        Assert.Equal(
            new RuleBreach("departureDate", "date.not-before-arrival", "The departure is before the arrival."),
            PersonDecisions.MigrantDeparture(LivingMigrant, arrival.AddDays(-1), Today).Breach);
        Assert.Equal(
            new RuleBreach("departureDate", "date.not-in-future", "The date is in the future."),
            PersonDecisions.MigrantDeparture(LivingMigrant, Today.AddDays(1), Today).Breach);
    }

    [Fact]
    public void A_move_within_the_city_changes_the_home_and_with_the_registration_the_registered_address()
    {
        var kept = PersonDecisions.MoveWithinCity(LivingResident, "Old road 1", "320213001001", false, "New road 2", "320213002002", Today, Today);
        Assert.Equal(Ruling.Accept(new Relocation("New road 2", "320213002002", "Old road 1", "320213001001")), kept);

        var moved = PersonDecisions.MoveWithinCity(LivingResident, "Old road 1", "320213001001", true, "New road 2", "320213002002", Today, Today);
        Assert.Equal(Ruling.Accept(new Relocation("New road 2", "320213002002", "New road 2", "320213002002")), moved);

        var migrant = PersonDecisions.MoveWithinCity(LivingMigrant, null, "110101", false, "New road 2", "320213002002", Today, Today);
        Assert.Equal(Ruling.Accept(new Relocation("New road 2", "320213002002", null, "110101")), migrant);
    }

    [Fact]
    public void A_move_within_the_city_is_refused_to_someone_not_living_then_a_migrants_registration_then_for_its_date()
    {
        Assert.Equal("state.person-living",
            PersonDecisions.MoveWithinCity(LivingResident with { Status = PersonStatus.MovedAway }, null, null, true, "a", "b", Today.AddDays(1), Today).Breach?.Rule);
        Assert.Equal(
            new RuleBreach("moveRegistration", "state.registered-resident", "Only a registered resident's household registration can move."),
            PersonDecisions.MoveWithinCity(LivingMigrant, null, "110101", true, "a", "b", Today.AddDays(1), Today).Breach);
        Assert.Equal(
            new RuleBreach("moveDate", "date.not-in-future", "The date is in the future."),
            PersonDecisions.MoveWithinCity(LivingResident, null, null, false, "a", "b", Today.AddDays(1), Today).Breach);
    }
}
