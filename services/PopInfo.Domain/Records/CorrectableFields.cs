namespace PopInfo.Domain.Records;

/// <summary>
/// The fields of a person a correction (信息更正) may change, camelCase as the registry's correction command names
/// them, in the order forms and records list them. Status, residence and household change by their own commands.
/// </summary>
public static class CorrectableFields
{
    public static IReadOnlyList<string> All { get; } =
    [
        PersonFields.IdNumber, PersonFields.Name, PersonFields.Sex, PersonFields.BirthDate, "ethnicity", "maritalStatus", "education",
        "occupation", PersonFields.Phone, PersonFields.RegisteredAddress, PersonFields.ResidenceAddress,
    ];

    public static bool Contains(string field) => All.Contains(field);
}
