using System.Reflection;
using System.Text.Json;

namespace PopInfo.Contracts.Registry.Commands;

/// <summary>One registry command: its record type, its name, and what it is about.</summary>
/// <param name="Type">The command's record type.</param>
/// <param name="Name">Its name (<see cref="RegistryCommandTypes"/>), as the answer and the change log carry it.</param>
/// <param name="OnExistingPerson">True when it acts on a person already in the register (named by id or identity number).</param>
/// <param name="MayEnterPerson">True when it may enter a new person (or one coming back).</param>
public sealed record RegistryCommandKind(Type Type, string Name, bool OnExistingPerson, bool MayEnterPerson)
{
    /// <summary>
    /// The command's data fields (camelCase, as on the wire), those of its base record first: every property but the
    /// envelope's (<see cref="RegistryCommand"/>'s: id, source, actor, correlation, person, subject, time) and the version pin.
    /// </summary>
    public IReadOnlyList<string> Fields { get; } = RegistryCommandCatalogue.FieldsOf(Type, declaredOnly: false);

    /// <summary>The fields the record type declares itself (not those of <see cref="NewPersonCommand"/> or <see cref="PersonCommand"/>).</summary>
    public IReadOnlyList<string> OwnFields { get; } = RegistryCommandCatalogue.FieldsOf(Type, declaredOnly: true);

    /// <summary>
    /// Whether a field is an id of the register (a person's, a household's): a sender that knows people and households by
    /// their numbers (a desk, a bureau) gives the number field beside it instead.
    /// </summary>
    public static bool IsId(string field) => RegistryCommandCatalogue.IdFields.Contains(field);
}

/// <summary>The registry's ten commands: the one list every sender and the registry derive theirs from.</summary>
public static class RegistryCommandCatalogue
{
    // Declared first: the kinds below read it as they are made.
    private static readonly HashSet<string> Envelope =
        [.. typeof(RegistryCommand).GetProperties().Select(p => p.Name), nameof(PersonCommand.ExpectedVersion)];

    /// <summary>Every command, in the order of the REST API's documentation.</summary>
    public static readonly IReadOnlyList<RegistryCommandKind> All =
    [
        new(typeof(RegisterPerson), RegistryCommandTypes.RegisterPerson, OnExistingPerson: false, MayEnterPerson: true),
        new(typeof(RegisterBirth), RegistryCommandTypes.RegisterBirth, OnExistingPerson: false, MayEnterPerson: true),
        new(typeof(MoveIn), RegistryCommandTypes.MoveIn, OnExistingPerson: true, MayEnterPerson: true),
        new(typeof(MigrantArrival), RegistryCommandTypes.MigrantArrival, OnExistingPerson: true, MayEnterPerson: true),
        new(typeof(RegisterDeath), RegistryCommandTypes.RegisterDeath, OnExistingPerson: true, MayEnterPerson: false),
        new(typeof(MoveWithinCity), RegistryCommandTypes.MoveWithinCity, OnExistingPerson: true, MayEnterPerson: false),
        new(typeof(MoveOut), RegistryCommandTypes.MoveOut, OnExistingPerson: true, MayEnterPerson: false),
        new(typeof(MigrantDeparture), RegistryCommandTypes.MigrantDeparture, OnExistingPerson: true, MayEnterPerson: false),
        new(typeof(CorrectDetails), RegistryCommandTypes.CorrectDetails, OnExistingPerson: true, MayEnterPerson: false),
        new(typeof(ChangeHousehold), RegistryCommandTypes.ChangeHousehold, OnExistingPerson: true, MayEnterPerson: false),
    ];

    /// <summary>The personal details every command that enters a person takes (<see cref="NewPersonCommand"/>'s fields).</summary>
    public static readonly IReadOnlyList<string> NewPersonFields = FieldsOf(typeof(NewPersonCommand), declaredOnly: true);

    /// <summary>The command of this name, or null.</summary>
    public static RegistryCommandKind? Find(string? name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>The command of this record type.</summary>
    public static RegistryCommandKind Of(Type type) =>
        All.FirstOrDefault(k => k.Type == type) ?? throw new ArgumentException($"{type.Name} is not a registry command.", nameof(type));

    /// <summary>The command of this record type.</summary>
    public static RegistryCommandKind Of<TCommand>() where TCommand : RegistryCommand => Of(typeof(TCommand));

    internal static readonly HashSet<string> IdFields =
    [
        .. All.SelectMany(k => k.Type.GetProperties()).Where(p => p.PropertyType == typeof(Guid?) && !Envelope.Contains(p.Name))
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)),
    ];

    internal static IReadOnlyList<string> FieldsOf(Type type, bool declaredOnly) =>
    [
        .. (declaredOnly ? [type] : Hierarchy(type))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(p => !Envelope.Contains(p.Name) && p.GetMethod?.IsAbstract != true && p.Name != nameof(RegistryCommand.CommandType))
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)),
    ];

    // Base record first, so that shared fields keep their place in every command's list.
    private static IEnumerable<Type> Hierarchy(Type type) =>
        type.BaseType is { } parent && parent != typeof(object) ? [.. Hierarchy(parent), type] : [type];
}
