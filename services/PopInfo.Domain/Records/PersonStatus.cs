namespace PopInfo.Domain.Records;

/// <summary>A person's status in the register: living in the city, deceased, or moved away (a migrant who left too).</summary>
public static class PersonStatus
{
    public const string Living = "living";
    public const string Deceased = "deceased";
    public const string MovedAway = "moved-away";

    public static IReadOnlyList<string> All { get; } = [Living, Deceased, MovedAway];

    public static bool IsKnown(string? status) => status is Living or Deceased or MovedAway;
}
