using System.Text.Json.Serialization;

namespace PopInfo.Contracts.Registry.Commands;

/// <summary>A death (<c>POST /api/v1/persons/{id}/death</c>).</summary>
public sealed record RegisterDeath : PersonCommand
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string CommandType => RegistryCommandTypes.RegisterDeath;

    /// <summary>The date of death.</summary>
    public DateOnly? DeathDate { get; init; }
}
