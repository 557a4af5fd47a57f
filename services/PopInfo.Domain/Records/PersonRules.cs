namespace PopInfo.Domain.Records;

/// <summary>
/// Stable names of the register's rules, as they appear in problem details (<c>violations[].rule</c>). Clients depend on
/// them: a name never changes.
/// </summary>
public static class PersonRules
{
    public const string Required = "required";
    public const string NameFormat = "name.format";
    public const string SexCode = "sex.code";
    public const string SexMatchesIdNumber = "sex.matches-id-number";
    public const string BirthDateMatchesIdNumber = "birth-date.matches-id-number";
    public const string DateNotInFuture = "date.not-in-future";
    public const string DateNotBeforeBirth = "date.not-before-birth";
    public const string BirthDateRange = "birth-date.range";
    public const string EthnicityCode = "ethnicity.code";
    public const string MaritalStatusCode = "marital-status.code";
    public const string EducationCode = "education.code";
    public const string RelationshipCode = "relationship.code";
    public const string PhoneFormat = "phone.format";
    public const string RegionExists = "region.exists";
    public const string CountyCode = "region.county-code";
    public const string ResidenceType = "residence-type.code";
    public const string Status = "status.code";
    public const string MigrantDetails = "migrant.details";
    public const string MigrantReason = "migrant.reason";
    public const string ExpectedStay = "migrant.expected-stay";
    public const string DeathDateRequired = "death-date.required-when-deceased";
    public const string DeathDateOnlyWhenDeceased = "death-date.only-when-deceased";
    public const string HouseholdRelationship = "household.relationship-required";
    public const string TextLength = "text.length";

    // The rules of a command on the person's current version (PersonDecisions and the rules it uses).
    public const string DateNotBeforeArrival = "date.not-before-arrival";
    public const string PersonLiving = "state.person-living";
    public const string NotAlreadyRegistered = "state.not-already-registered";
    public const string NotLivingInCity = "state.not-living-in-city";
    public const string RegisteredResident = "state.registered-resident";
    public const string Migrant = "state.migrant";
    public const string MotherExists = "mother.exists";
    public const string MotherFemale = "mother.female";
    public const string MotherPlausibleAge = "mother.plausible-age";
    public const string HouseholdExists = "household.exists";
    public const string HouseholdOneHead = "household.one-head";

    /// <summary>The database refused a value (SQLSTATE class 22) that the rules above let through.</summary>
    public const string DatabaseRefusedValue = "database.refused-value";

    /// <summary>The command breaks a constraint of the database (SQLSTATE class 23) that the rules above did not foresee.</summary>
    public const string DatabaseConstraint = "database.constraint";
}
