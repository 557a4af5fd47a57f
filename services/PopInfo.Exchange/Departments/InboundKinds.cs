namespace PopInfo.Exchange.Departments;

/// <summary>What a department may push in (see Inbound/).</summary>
public static class InboundKinds
{
    public static IReadOnlyList<string> All { get; } =
        ["birth", "death", "move-in", "move-out", "move-within-city", "migrant-arrival", "migrant-departure", "correction"];
}
