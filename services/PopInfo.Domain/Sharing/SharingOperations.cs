namespace PopInfo.Domain.Sharing;

/// <summary>What a department may do at the information sharing service (信息共享服务), one grant listing which.</summary>
public static class SharingOperations
{
    /// <summary>核验: does this identity number belong with this name (and birth date, sex)? No personal data back.</summary>
    public const string Verify = "verify";

    /// <summary>One person by identity number, or by exact name and birth date: the granted fields only.</summary>
    public const string Lookup = "lookup";

    /// <summary>Verify, up to <see cref="MaxBatch"/> items a call, each answered and audited on its own.</summary>
    public const string BatchVerify = "batch-verify";

    /// <summary>Look up, up to <see cref="MaxBatch"/> items a call.</summary>
    public const string BatchLookup = "batch-lookup";

    /// <summary>A person's household: its members and their relationships to the head.</summary>
    public const string Household = "household";

    /// <summary>The most items one batch call may carry.</summary>
    public const int MaxBatch = 1000;

    /// <summary>The most people one look-up by name and birth date returns (more matching are counted, not listed).</summary>
    public const int MaxMatches = 20;

    public static IReadOnlyList<string> All { get; } = [Verify, Lookup, BatchVerify, BatchLookup, Household];
}
