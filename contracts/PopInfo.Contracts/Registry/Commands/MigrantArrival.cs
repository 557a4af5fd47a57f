using System.Text.Json.Serialization;

namespace PopInfo.Contracts.Registry.Commands;

/// <summary>A migrant arriving, new or returning (<c>POST /api/v1/migrant-arrivals</c>).</summary>
public sealed record MigrantArrival : NewPersonCommand
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string CommandType => RegistryCommandTypes.MigrantArrival;

    /// <summary>Required when the person is already in the register.</summary>
    public int? ExpectedVersion { get; init; }

    /// <summary>The county the migrant comes from.</summary>
    public string? OriginRegionCode { get; init; }

    /// <summary>The date of arrival.</summary>
    public DateOnly? ArrivalDate { get; init; }

    /// <summary>Why they came (a migrant-reason code).</summary>
    public string? Reason { get; init; }

    /// <summary>How long they expect to stay.</summary>
    public int? ExpectedStayMonths { get; init; }
}
