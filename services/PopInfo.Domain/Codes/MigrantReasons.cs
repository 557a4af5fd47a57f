namespace PopInfo.Domain.Codes;

/// <summary>Why a migrant (流动人口) stays in the city, as the register records it.</summary>
public static class MigrantReasons
{
    public const string Work = "work";
    public const string Business = "business";
    public const string Study = "study";
    public const string Family = "family";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } = [Work, Business, Study, Family, Other];

    /// <summary>Chinese labels, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Labels { get; } = ["务工", "经商", "学习", "投靠亲友", "其他"];

    /// <summary>"The reason must be one of: work, business, study, family, other." — the message of rule <c>migrant.reason</c>.</summary>
    public static string MustBeOneOf { get; } = $"The reason must be one of: {string.Join(", ", All)}.";

    public static bool IsKnown(string? reason) => reason is not null && All.Contains(reason);
}
