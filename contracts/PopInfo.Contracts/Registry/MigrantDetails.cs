namespace PopInfo.Contracts.Registry;

/// <summary>What the register knows about a migrant's stay in the city.</summary>
public sealed record MigrantDetails
{
    /// <summary>Six-digit GB/T 2260 code of the county the migrant came from.</summary>
    public required string OriginRegionCode { get; init; }

    /// <summary>Date of arrival in the city.</summary>
    public required DateOnly ArrivalDate { get; init; }

    /// <summary>Reason for the stay: "work", "business", "study", "family", "other".</summary>
    public required string Reason { get; init; }

    /// <summary>Expected stay in months.</summary>
    public required int ExpectedStayMonths { get; init; }

    /// <summary>Date of departure, once the migrant has left.</summary>
    public DateOnly? DepartureDate { get; init; }
}
