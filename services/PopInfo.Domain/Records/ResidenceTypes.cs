namespace PopInfo.Domain.Records;

/// <summary>How a person lives in the city: a registered resident (户籍人口) or a migrant (流动人口).</summary>
public static class ResidenceTypes
{
    public const string Registered = "registered";
    public const string Migrant = "migrant";

    public static IReadOnlyList<string> All { get; } = [Registered, Migrant];

    public static bool IsKnown(string? residenceType) => residenceType is Registered or Migrant;
}
