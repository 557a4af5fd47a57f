using System.Text.Json.Serialization;
using PopInfo.Contracts.Registry.Commands;

namespace PopInfo.Registry.Commands;

/// <summary>
/// POST /api/v1/households: a new household. A command of the REST API only (no sender creates households over the
/// bus), so its record lives here rather than in the contracts.
/// </summary>
public sealed record CreateHouseholdRequest : RegistryCommand
{
    [JsonIgnore]
    public override string CommandType => "create-household";

    public string? Number { get; init; }
    public string? Address { get; init; }
    public string? RegionCode { get; init; }
}
