using System.Text.Json.Serialization;

namespace PopInfo.Contracts.Registry.Commands;

/// <summary>A registered resident leaving the city (户籍迁出) (<c>POST /api/v1/persons/{id}/move-out</c>).</summary>
public sealed record MoveOut : PersonCommand
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string CommandType => RegistryCommandTypes.MoveOut;

    /// <summary>The date of the move.</summary>
    public DateOnly? MoveDate { get; init; }

    /// <summary>Where they go.</summary>
    public string? Destination { get; init; }
}
