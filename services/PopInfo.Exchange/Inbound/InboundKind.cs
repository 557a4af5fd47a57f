using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.Exchange.Departments;

namespace PopInfo.Exchange.Inbound;

/// <summary>
/// One kind of record a department pushes: the registry command it becomes, whether its <c>person</c>
/// describes someone entering the register (a birth, a move-in, a migrant's arrival) or names someone
/// already in it, and the fields it takes. Field names are the registry command's (camelCase), so a
/// record maps onto the command body one to one (docs/exchange-inbound.md).
/// </summary>
public sealed record InboundKind(
    string Code,
    RegistryCommandKind Command,
    bool NewPerson,
    IReadOnlyList<string> Required,
    IReadOnlyList<string> PersonRequired,
    IReadOnlyList<string>? OnlyFields = null)
{
    /// <summary>The command's name (<see cref="RegistryCommandTypes"/>).</summary>
    public string CommandType => Command.Name;

    /// <summary>
    /// The record's fields besides <see cref="Required"/>: the command's own (not its person's), less the register's ids —
    /// a bureau knows people by their numbers — unless the kind lists its fields itself (<c>OnlyFields</c>).
    /// </summary>
    public IReadOnlyList<string> Optional { get; } =
        [.. (OnlyFields ?? [.. Command.OwnFields.Where(f => !RegistryCommandKind.IsId(f))]).Except(Required)];

    /// <summary>The fields of <c>person</c> that name a person already in the register.</summary>
    public static readonly IReadOnlyList<string> SubjectFields = ["idNumber", "name", "sex", "birthDate", "regionCode"];

    /// <summary>Without an identity number, these name the person (matched on all of them).</summary>
    public static readonly IReadOnlyList<string> MatchFields = ["name", "sex", "birthDate", "regionCode"];

    /// <summary>The personal details of someone entering the register (as the registry's new-person commands take them).</summary>
    public static readonly IReadOnlyList<string> NewPersonRequired = ["idNumber", "name", "sex", "birthDate", "ethnicity"];

    public static readonly IReadOnlyList<string> NewPersonOptional =
        [.. RegistryCommandCatalogue.NewPersonFields.Where(f => !RegistryCommandKind.IsId(f)).Except(NewPersonRequired)];

    public IEnumerable<string> PersonFields => NewPerson ? [.. NewPersonRequired, .. NewPersonOptional] : SubjectFields;

    public bool Takes(string field) => Required.Contains(field) || Optional.Contains(field);

    /// <summary>Kinds that act on a person who must be living in the city.</summary>
    public bool NeedsLivingPerson => Code is InboundKindCodes.Death or InboundKindCodes.MoveOut or InboundKindCodes.MoveWithinCity or InboundKindCodes.MigrantDeparture;
}

public static class InboundKindCodes
{
    public const string Birth = "birth";
    public const string Death = "death";
    public const string MoveIn = "move-in";
    public const string MoveOut = "move-out";
    public const string MoveWithinCity = "move-within-city";
    public const string MigrantArrival = "migrant-arrival";
    public const string MigrantDeparture = "migrant-departure";
    public const string Correction = "correction";
}

/// <summary>The eight kinds (the same list as <see cref="InboundKinds.All"/>, which departments' rights name).</summary>
public static class InboundKindCatalogue
{
    public static readonly InboundKind Birth = new(InboundKindCodes.Birth, RegistryCommandCatalogue.Of<RegisterBirth>(), true,
        [], InboundKind.NewPersonRequired);

    public static readonly InboundKind Death = new(InboundKindCodes.Death, RegistryCommandCatalogue.Of<RegisterDeath>(), false,
        ["deathDate"], []);

    public static readonly InboundKind MoveIn = new(InboundKindCodes.MoveIn, RegistryCommandCatalogue.Of<MoveIn>(), true,
        ["moveDate", "origin"], [.. InboundKind.NewPersonRequired, "registeredRegionCode"]);

    public static readonly InboundKind MoveOut = new(InboundKindCodes.MoveOut, RegistryCommandCatalogue.Of<MoveOut>(), false,
        ["moveDate", "destination"], []);

    public static readonly InboundKind MoveWithinCity = new(InboundKindCodes.MoveWithinCity, RegistryCommandCatalogue.Of<MoveWithinCity>(), false,
        ["moveDate", "residenceAddress", "residenceRegionCode"], []);

    public static readonly InboundKind MigrantArrival = new(InboundKindCodes.MigrantArrival, RegistryCommandCatalogue.Of<MigrantArrival>(), true,
        ["originRegionCode", "arrivalDate", "reason", "expectedStayMonths"], [.. InboundKind.NewPersonRequired, "residenceRegionCode"]);

    public static readonly InboundKind MigrantDeparture = new(InboundKindCodes.MigrantDeparture, RegistryCommandCatalogue.Of<MigrantDeparture>(), false,
        ["departureDate"], []);

    // A correction's changed fields come in one object, "changes" (the correctable fields, CorrectableFields).
    public static readonly InboundKind Correction = new(InboundKindCodes.Correction, RegistryCommandCatalogue.Of<CorrectDetails>(), false,
        ["reason", "changes"], [], OnlyFields: []);

    public static readonly IReadOnlyList<InboundKind> All = [Birth, Death, MoveIn, MoveOut, MoveWithinCity, MigrantArrival, MigrantDeparture, Correction];

    public static InboundKind? Find(string? code) => All.FirstOrDefault(k => k.Code == code);
}
