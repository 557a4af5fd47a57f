namespace PopInfo.Domain.Codes;

/// <summary>Why a migrant (流动人口) stays in the city, as the register records it.</summary>
public static class MigrantReasons
{
    public static IReadOnlyList<string> All { get; } = ["work", "business", "study", "family", "other"];

    /// <summary>Chinese labels, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Labels { get; } = ["务工", "经商", "学习", "投靠亲友", "其他"];

    public static bool IsKnown(string? reason) => reason is not null && All.Contains(reason);
}
