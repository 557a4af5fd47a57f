namespace PopInfo.ServiceDefaults.Projections;

/// <summary>A projection's row of <c>projection_state</c>: the snapshot it was built from (null: never) and its watermark.</summary>
public sealed class ProjectionState
{
    public long? Snapshot_Sequence { get; init; }
    public long Low_Watermark { get; init; }

    /// <summary>When the register recorded the entry at the watermark.</summary>
    public DateTimeOffset? Watermark_Recorded_At { get; init; }

    public DateTimeOffset? Built_At { get; init; }

    /// <summary>When a rebuild was asked of any instance and not yet begun (null: none); the follower's leader does it.</summary>
    public DateTimeOffset? Rebuild_Requested_At { get; init; }
}

/// <summary>What one apply did: the changes that were not below the watermark, the new watermark, how many sequences above it are applied.</summary>
public sealed record AppliedChanges<T>(IReadOnlyList<T> Applied, long Watermark, long Pending);
