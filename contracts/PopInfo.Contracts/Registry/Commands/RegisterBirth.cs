using System.Text.Json.Serialization;

namespace PopInfo.Contracts.Registry.Commands;

/// <summary>A newborn, with the mother and household where known (<c>POST /api/v1/births</c>).</summary>
public sealed record RegisterBirth : NewPersonCommand
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string CommandType => RegistryCommandTypes.RegisterBirth;

    /// <summary>The mother's person id; the child's residence defaults to hers.</summary>
    public Guid? MotherId { get; init; }

    /// <summary>Bus only: the mother by identity number, when the sender knows no person id.</summary>
    public string? MotherIdNumber { get; init; }
}
