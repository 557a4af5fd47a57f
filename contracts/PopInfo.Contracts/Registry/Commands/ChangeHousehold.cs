using System.Text.Json.Serialization;

namespace PopInfo.Contracts.Registry.Commands;

/// <summary>
/// Join a household, change the relationship to its head, or leave (no household) (<c>POST /api/v1/persons/{id}/household</c>).
/// </summary>
public sealed record ChangeHousehold : PersonCommand
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string CommandType => RegistryCommandTypes.ChangeHousehold;

    /// <summary>The household joined, by id; none leaves the household.</summary>
    public Guid? HouseholdId { get; init; }

    /// <summary>Bus only: the household joined, by its number, when the sender knows no household id.</summary>
    public string? HouseholdNumber { get; init; }

    /// <summary>The relationship to the household's head.</summary>
    public string? RelationshipToHead { get; init; }
}
