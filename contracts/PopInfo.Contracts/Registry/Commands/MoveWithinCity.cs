using System.Text.Json.Serialization;

namespace PopInfo.Contracts.Registry.Commands;

/// <summary>A move to another home in the city (<c>POST /api/v1/persons/{id}/move-within-city</c>).</summary>
public sealed record MoveWithinCity : PersonCommand
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string CommandType => RegistryCommandTypes.MoveWithinCity;

    /// <summary>The date of the move.</summary>
    public DateOnly? MoveDate { get; init; }

    /// <summary>The new home's address.</summary>
    public string? ResidenceAddress { get; init; }

    /// <summary>The new home's community.</summary>
    public string? ResidenceRegionCode { get; init; }

    /// <summary>True when the household registration moves too (registered residents only).</summary>
    public bool MoveRegistration { get; init; }
}
