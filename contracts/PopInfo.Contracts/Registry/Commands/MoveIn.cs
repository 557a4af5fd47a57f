using System.Text.Json.Serialization;

namespace PopInfo.Contracts.Registry.Commands;

/// <summary>A registered resident moving into the city (户籍迁入), new or returning (<c>POST /api/v1/move-ins</c>).</summary>
public sealed record MoveIn : NewPersonCommand
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string CommandType => RegistryCommandTypes.MoveIn;

    /// <summary>Required when the person is already in the register (they had moved away).</summary>
    public int? ExpectedVersion { get; init; }

    /// <summary>The date of the move.</summary>
    public DateOnly? MoveDate { get; init; }

    /// <summary>Where they came from (free text or a county code).</summary>
    public string? Origin { get; init; }
}
