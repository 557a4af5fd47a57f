using PopInfo.Domain.Codes;

namespace PopInfo.Domain.Records;

/// <summary>What a birth's rules need to know of the mother's current version in the register.</summary>
public sealed record Mother(string Sex, DateOnly BirthDate, DateOnly? DeathDate, string ResidenceType, bool HasMigrantDetails);

/// <summary>
/// What a birth makes of the newborn: the mother's kind of residence (a registered resident without a mother), her
/// migrant details when she is a migrant with details (arrival the birth date), and "never married" unless told otherwise.
/// The newborn lives where the mother lives and is registered where she is, unless told otherwise.
/// </summary>
public sealed record Newborn(string ResidenceType, bool TakesMothersMigrantDetails, string MaritalStatus);

/// <summary>Where a person lives and where they are registered: the addresses and their regions.</summary>
public sealed record Addresses(string? ResidenceAddress, string? ResidenceRegionCode, string? RegisteredAddress, string? RegisteredRegionCode);

/// <summary>The register's decision on a birth (出生登记), given the mother it names.</summary>
public static class BirthDecision
{
    /// <summary>The youngest a mother may be at the child's birth, in completed years.</summary>
    public const int YoungestMotherAge = 12;

    /// <param name="motherNamed">The birth names a mother (by person id).</param>
    /// <param name="mother">The mother named, or null when the register does not hold her.</param>
    /// <param name="born">The child's birth date.</param>
    /// <param name="maritalStatus">The marital status the birth states, if any.</param>
    public static Ruling<Newborn> Decide(bool motherNamed, Mother? mother, DateOnly born, string? maritalStatus)
    {
        if (motherNamed)
        {
            if (mother is null)
            {
                return Ruling.Refuse<Newborn>(new("motherId", PersonRules.MotherExists, "The mother is not in the register."));
            }

            if (mother.Sex != SexCodes.Female)
            {
                return Ruling.Refuse<Newborn>(new("motherId", PersonRules.MotherFemale, "The person given as mother is not female."));
            }

            // At least 12 at the birth, and born no later than the day after her recorded death.
            if (born < mother.BirthDate.AddYears(YoungestMotherAge) || (mother.DeathDate is { } died && born > died.AddDays(1)))
            {
                return Ruling.Refuse<Newborn>(new("motherId", PersonRules.MotherPlausibleAge, "The mother was not between 12 years old and alive at the child's birth."));
            }
        }

        var residenceType = mother?.ResidenceType ?? ResidenceTypes.Registered;
        return Ruling.Accept(new Newborn(
            residenceType,
            residenceType == ResidenceTypes.Migrant && mother is { HasMigrantDetails: true },
            maritalStatus ?? MaritalStatusCodes.Unmarried));
    }

    /// <summary>
    /// The newborn's addresses: each one the birth gives, else the mother's (a child lives where the mother lives and is
    /// registered where she is, unless told otherwise); without a mother in the register, what the birth gives.
    /// </summary>
    public static Addresses AddressesOf(Addresses given, Addresses? mothers) => mothers is null ? given : new(
        given.ResidenceAddress ?? mothers.ResidenceAddress,
        given.ResidenceRegionCode ?? mothers.ResidenceRegionCode,
        given.RegisteredAddress ?? mothers.RegisteredAddress,
        given.RegisteredRegionCode ?? mothers.RegisteredRegionCode);
}
