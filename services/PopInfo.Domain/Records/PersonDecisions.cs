namespace PopInfo.Domain.Records;

/// <summary>
/// The register's decisions on a command given the person's current version: accepted with the change it makes, or
/// refused with the rule it breaks. The registry applies the change to the record and then checks the whole record
/// against its record rules; these are the rules only a command can break (a death of someone not living, a
/// departure before the arrival).
/// </summary>
public static class PersonDecisions
{
    /// <summary>A command on someone already in the register needs them living in the city (a conflict otherwise).</summary>
    public static RuleBreach? RequireLiving(PersonState current) =>
        current.Status == PersonStatus.Living
            ? null
            : new("personId", PersonRules.PersonLiving, $"The person's status is '{current.Status}', not 'living'.", StateConflict: true);

    /// <summary>
    /// A move into the city (户籍迁入) makes a living registered resident: of someone new, someone who left, or a migrant
    /// whose household registration moves here; not of someone already a registered resident living here.
    /// </summary>
    public static Ruling<StatusChange> MoveIn(PersonState? current) =>
        current is { Status: PersonStatus.Living, ResidenceType: ResidenceTypes.Registered }
            ? Ruling.Refuse<StatusChange>(new("idNumber", PersonRules.NotAlreadyRegistered, "This person is already a registered resident living in the city."))
            : Ruling.Accept(new StatusChange(PersonStatus.Living, ResidenceTypes.Registered, LeavesHome: false));

    /// <summary>A migrant's arrival makes a living migrant of someone new or someone who left; not of someone living here.</summary>
    public static Ruling<StatusChange> MigrantArrival(PersonState? current) =>
        current is { Status: PersonStatus.Living }
            ? Ruling.Refuse<StatusChange>(new("idNumber", PersonRules.NotLivingInCity, "This person already lives in the city; record a move within the city instead."))
            : Ruling.Accept(new StatusChange(PersonStatus.Living, ResidenceTypes.Migrant, LeavesHome: false));

    /// <summary>A death of a living person: deceased, residence and household as they were.</summary>
    public static Ruling<StatusChange> Death(PersonState current) =>
        RequireLiving(current) is { } notLiving
            ? Ruling.Refuse<StatusChange>(notLiving)
            : Ruling.Accept(new StatusChange(PersonStatus.Deceased, current.ResidenceType, LeavesHome: false));

    /// <summary>A move out of the city (户籍迁出): a living registered resident moves away; a migrant departs instead.</summary>
    public static Ruling<StatusChange> MoveOut(PersonState current, DateOnly moveDate, DateOnly today)
    {
        if (RequireLiving(current) is { } notLiving)
        {
            return Ruling.Refuse<StatusChange>(notLiving);
        }

        if (current.ResidenceType != ResidenceTypes.Registered)
        {
            return Ruling.Refuse<StatusChange>(new("personId", PersonRules.RegisteredResident, "A migrant leaves with a migrant departure, not a move-out."));
        }

        return PersonDates.CheckEvent("moveDate", moveDate, today, current.BirthDate) is { } badDate
            ? Ruling.Refuse<StatusChange>(badDate)
            : Ruling.Accept(new StatusChange(PersonStatus.MovedAway, current.ResidenceType, LeavesHome: true));
    }

    /// <summary>A migrant's departure: a living migrant moves away, not before the arrival; a registered resident moves out instead.</summary>
    public static Ruling<StatusChange> MigrantDeparture(PersonState current, DateOnly departureDate, DateOnly today)
    {
        if (RequireLiving(current) is { } notLiving)
        {
            return Ruling.Refuse<StatusChange>(notLiving);
        }

        if (current.ResidenceType != ResidenceTypes.Migrant || current.MigrantArrivalDate is not { } arrival)
        {
            return Ruling.Refuse<StatusChange>(new("personId", PersonRules.Migrant, "Only a migrant departs; a registered resident moves out."));
        }

        if (departureDate < arrival)
        {
            return Ruling.Refuse<StatusChange>(new("departureDate", PersonRules.DateNotBeforeArrival, "The departure is before the arrival."));
        }

        return PersonDates.CheckEvent("departureDate", departureDate, today, current.BirthDate) is { } badDate
            ? Ruling.Refuse<StatusChange>(badDate)
            : Ruling.Accept(new StatusChange(PersonStatus.MovedAway, current.ResidenceType, LeavesHome: true));
    }

    /// <summary>
    /// A move within the city: a living person gets a new home; with <paramref name="moveRegistration"/>, a registered
    /// resident's household registration moves there too (a migrant's registration is their home county).
    /// </summary>
    public static Ruling<Relocation> MoveWithinCity(
        PersonState current, string? registeredAddress, string? registeredRegionCode,
        bool moveRegistration, string? residenceAddress, string? residenceRegionCode, DateOnly moveDate, DateOnly today)
    {
        if (RequireLiving(current) is { } notLiving)
        {
            return Ruling.Refuse<Relocation>(notLiving);
        }

        if (moveRegistration && current.ResidenceType != ResidenceTypes.Registered)
        {
            return Ruling.Refuse<Relocation>(new("moveRegistration", PersonRules.RegisteredResident, "Only a registered resident's household registration can move."));
        }

        return PersonDates.CheckEvent("moveDate", moveDate, today, current.BirthDate) is { } badDate
            ? Ruling.Refuse<Relocation>(badDate)
            : Ruling.Accept(new Relocation(residenceAddress, residenceRegionCode,
                moveRegistration ? residenceAddress : registeredAddress,
                moveRegistration ? residenceRegionCode : registeredRegionCode));
    }
}
