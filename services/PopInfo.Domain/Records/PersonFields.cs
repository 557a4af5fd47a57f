namespace PopInfo.Domain.Records;

/// <summary>
/// The fields of a person record another party may be given (camelCase, as the register serialises its person
/// record): what an exchange subscription may be entitled to and a sharing grant may allow. <c>personId</c> is not
/// among them: it is how a record is named, not what it says.
/// </summary>
public static class PersonFields
{
    public const string PersonId = "personId";

    public const string IdNumber = "idNumber";
    public const string Name = "name";
    public const string Sex = "sex";
    public const string BirthDate = "birthDate";
    public const string Phone = "phone";
    public const string RegisteredAddress = "registeredAddress";
    public const string ResidenceAddress = "residenceAddress";
    public const string Status = "status";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        IdNumber, Name, Sex, BirthDate, "ethnicity", "maritalStatus", "education", "occupation", Phone,
        RegisteredAddress, "registeredRegionCode", ResidenceAddress, "residenceRegionCode", "residenceType", "migrant",
        Status, "deathDate", "destination", "householdId", "relationshipToHead", "motherId",
    };
}
