namespace PopInfo.Exchange.Departments;

/// <summary>
/// The fields of a person record a subscription may be entitled to (camelCase, as the register serialises
/// <see cref="PopInfo.Contracts.Registry.PersonRecord"/>). <c>personId</c> is not among them: every event
/// carries it, as its subject.
/// </summary>
public static class PersonFields
{
    public const string PersonId = "personId";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "idNumber", "name", "sex", "birthDate", "ethnicity", "maritalStatus", "education", "occupation", "phone",
        "registeredAddress", "registeredRegionCode", "residenceAddress", "residenceRegionCode", "residenceType", "migrant",
        "status", "deathDate", "destination", "householdId", "relationshipToHead", "motherId",
    };
}

/// <summary>What a department may push in (see Inbound/).</summary>
public static class InboundKinds
{
    public static IReadOnlyList<string> All { get; } =
        ["birth", "death", "move-in", "move-out", "move-within-city", "migrant-arrival", "migrant-departure", "correction"];
}
