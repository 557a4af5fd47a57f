using PopInfo.Contracts.Registry;
using PopInfo.Domain.Records;

namespace PopInfo.Collection.Forms;

/// <summary>
/// One kind of form ("one person, one form"): the registry command it becomes, whether it is about a
/// person already in the register, and the data fields it takes and requires. Field names are the
/// registry command's (camelCase), so a form's data maps onto the command body one to one.
/// </summary>
public sealed record FormType(
    string Code,
    string ChineseName,
    string CommandType,
    bool AboutExistingPerson,
    IReadOnlyList<string> Required,
    IReadOnlyList<string> Optional)
{
    public bool Takes(string field) => Required.Contains(field) || Optional.Contains(field);
}

/// <summary>The nine forms of the desk.</summary>
public static class FormTypes
{
    // The personal details of someone entering the register.
    private static readonly string[] NewPersonRequired = ["idNumber", "name", "sex", "birthDate", "ethnicity"];
    private static readonly string[] NewPersonOptional =
    [
        "maritalStatus", "education", "occupation", "phone", "registeredAddress", "registeredRegionCode",
        "residenceAddress", "residenceRegionCode", "householdNumber", "relationshipToHead",
    ];

    public static readonly FormType Birth = new("birth", "出生登记", RegistryCommandTypes.RegisterBirth, false,
        NewPersonRequired, [.. NewPersonOptional, "motherIdNumber", "noMotherReason"]);

    public static readonly FormType Death = new("death", "死亡登记", RegistryCommandTypes.RegisterDeath, true,
        ["idNumber", "deathDate"], []);

    public static readonly FormType MoveIn = new("move-in", "户籍迁入", RegistryCommandTypes.MoveIn, false,
        [.. NewPersonRequired, "moveDate", "origin", "registeredRegionCode"], [.. NewPersonOptional.Except(["registeredRegionCode"])]);

    public static readonly FormType MoveOut = new("move-out", "户籍迁出", RegistryCommandTypes.MoveOut, true,
        ["idNumber", "moveDate", "destination"], []);

    public static readonly FormType MoveWithinCity = new("move-within-city", "市内迁移", RegistryCommandTypes.MoveWithinCity, true,
        ["idNumber", "moveDate", "residenceAddress", "residenceRegionCode"], ["moveRegistration"]);

    public static readonly FormType MigrantArrival = new("migrant-arrival", "流动人口登记", RegistryCommandTypes.MigrantArrival, false,
        [.. NewPersonRequired, "originRegionCode", "arrivalDate", "reason", "expectedStayMonths", "residenceRegionCode"],
        [.. NewPersonOptional.Except(["residenceRegionCode"])]);

    public static readonly FormType MigrantDeparture = new("migrant-departure", "流动人口注销", RegistryCommandTypes.MigrantDeparture, true,
        ["idNumber", "departureDate"], ["destination"]);

    public static readonly FormType Correction = new("correction", "信息更正", RegistryCommandTypes.CorrectDetails, true,
        ["idNumber", "reason"],
        [.. CorrectableFields.All.Select(f => f == PersonFields.IdNumber ? "newIdNumber" : f)]);

    public static readonly FormType HouseholdChange = new("household-change", "户籍变更", RegistryCommandTypes.ChangeHousehold, true,
        ["idNumber"], ["householdNumber", "relationshipToHead"]);

    public static readonly IReadOnlyList<FormType> All =
        [Birth, Death, MoveIn, MoveOut, MoveWithinCity, MigrantArrival, MigrantDeparture, Correction, HouseholdChange];

    public static FormType? Find(string? code) => All.FirstOrDefault(t => t.Code == code);
}
