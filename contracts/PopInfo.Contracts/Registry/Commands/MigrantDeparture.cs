using System.Text.Json.Serialization;

namespace PopInfo.Contracts.Registry.Commands;

/// <summary>A migrant leaving the city (<c>POST /api/v1/persons/{id}/migrant-departure</c>).</summary>
public sealed record MigrantDeparture : PersonCommand
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string CommandType => RegistryCommandTypes.MigrantDeparture;

    /// <summary>The date of departure.</summary>
    public DateOnly? DepartureDate { get; init; }

    /// <summary>Where they go.</summary>
    public string? Destination { get; init; }
}
