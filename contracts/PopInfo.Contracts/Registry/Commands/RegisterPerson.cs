using System.Text.Json.Serialization;

namespace PopInfo.Contracts.Registry.Commands;

/// <summary>Enter a person living in the city who is not yet in the register (<c>POST /api/v1/persons</c>).</summary>
public sealed record RegisterPerson : NewPersonCommand
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string CommandType => RegistryCommandTypes.RegisterPerson;

    /// <summary><c>registered</c> or <c>migrant</c>.</summary>
    public string? ResidenceType { get; init; }

    /// <summary>A migrant's details (required for a migrant).</summary>
    public MigrantDetails? Migrant { get; init; }
}
