using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.Domain.Records;

namespace PopInfo.Collection.Forms;

/// <summary>
/// One kind of form ("one person, one form"): the registry command it becomes, whether it is about a person already in
/// the register, and the data fields it requires. The fields it takes are the command's own (<see cref="RegistryCommandKind.Fields"/>,
/// camelCase, so a form's data maps onto the command one to one), less the register's ids — a desk knows people and
/// households by their numbers — plus the subject's identity number on a form about someone in the register (whose
/// own corrected number is then <c>newIdNumber</c>) and any desk-only field (<paramref name="DeskOnly"/>).
/// </summary>
public sealed record FormType(
    string Code,
    string ChineseName,
    RegistryCommandKind Command,
    bool AboutExistingPerson,
    IReadOnlyList<string> Required,
    IReadOnlyList<string>? DeskOnly = null)
{
    /// <summary>The command's name (<see cref="RegistryCommandTypes"/>).</summary>
    public string CommandType => Command.Name;

    /// <summary>The fields the form takes besides <see cref="Required"/>, in the command's order.</summary>
    public IReadOnlyList<string> Optional { get; } = [.. FieldsOf(Command, AboutExistingPerson, DeskOnly ?? []).Except(Required)];

    public bool Takes(string field) => Required.Contains(field) || Optional.Contains(field);

    /// <summary>The form's name for a field of the command: a correction's new identity number is <c>newIdNumber</c>.</summary>
    public static string FormFieldOf(string commandField, bool aboutExistingPerson) =>
        aboutExistingPerson && commandField == PersonFields.IdNumber ? "newIdNumber" : commandField;

    private static IEnumerable<string> FieldsOf(RegistryCommandKind command, bool aboutExistingPerson, IReadOnlyList<string> deskOnly) =>
    [
        .. aboutExistingPerson ? [PersonFields.IdNumber] : Array.Empty<string>(),
        .. command.Fields.Where(f => !RegistryCommandKind.IsId(f)).Select(f => FormFieldOf(f, aboutExistingPerson)),
        .. deskOnly,
    ];
}

/// <summary>The nine forms of the desk.</summary>
public static class FormTypes
{
    // The personal details every form that enters a person requires.
    private static readonly string[] NewPersonRequired = ["idNumber", "name", "sex", "birthDate", "ethnicity"];

    public static readonly FormType Birth = new("birth", "出生登记", RegistryCommandCatalogue.Of<RegisterBirth>(), false,
        NewPersonRequired, DeskOnly: ["noMotherReason"]);

    public static readonly FormType Death = new("death", "死亡登记", RegistryCommandCatalogue.Of<RegisterDeath>(), true,
        ["idNumber", "deathDate"]);

    public static readonly FormType MoveIn = new("move-in", "户籍迁入", RegistryCommandCatalogue.Of<MoveIn>(), false,
        [.. NewPersonRequired, "moveDate", "origin", "registeredRegionCode"]);

    public static readonly FormType MoveOut = new("move-out", "户籍迁出", RegistryCommandCatalogue.Of<MoveOut>(), true,
        ["idNumber", "moveDate", "destination"]);

    public static readonly FormType MoveWithinCity = new("move-within-city", "市内迁移", RegistryCommandCatalogue.Of<MoveWithinCity>(), true,
        ["idNumber", "moveDate", "residenceAddress", "residenceRegionCode"]);

    public static readonly FormType MigrantArrival = new("migrant-arrival", "流动人口登记", RegistryCommandCatalogue.Of<MigrantArrival>(), false,
        [.. NewPersonRequired, "originRegionCode", "arrivalDate", "reason", "expectedStayMonths", "residenceRegionCode"]);

    public static readonly FormType MigrantDeparture = new("migrant-departure", "流动人口注销", RegistryCommandCatalogue.Of<MigrantDeparture>(), true,
        ["idNumber", "departureDate"]);

    public static readonly FormType Correction = new("correction", "信息更正", RegistryCommandCatalogue.Of<CorrectDetails>(), true,
        ["idNumber", "reason"]);

    public static readonly FormType HouseholdChange = new("household-change", "户籍变更", RegistryCommandCatalogue.Of<ChangeHousehold>(), true,
        ["idNumber"]);

    public static readonly IReadOnlyList<FormType> All =
        [Birth, Death, MoveIn, MoveOut, MoveWithinCity, MigrantArrival, MigrantDeparture, Correction, HouseholdChange];

    public static FormType? Find(string? code) => All.FirstOrDefault(t => t.Code == code);
}
