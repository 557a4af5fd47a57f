using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Registry.Data;

/// <summary>
/// One open snapshot (<see cref="SnapshotStore.OpenAsync"/>): its sequence, and its rows in person order, each person's
/// versions oldest first. It holds the snapshot's read-only transaction until disposed; the store reads the rows.
/// </summary>
public sealed class RegistrySnapshot(UnitOfWork work, long sequence, DateTimeOffset takenAt, bool history) : IAsyncDisposable
{
    /// <summary>The change-log sequence the snapshot is consistent with: every entry up to it is reflected, none after.</summary>
    public long Sequence => sequence;

    /// <summary>When the snapshot's transaction began (the service's clock).</summary>
    public DateTimeOffset TakenAt => takenAt;

    public bool History => history;

    /// <summary>Streams the rows (never all in memory): one person at a time, their versions in order, the current one last.</summary>
    public IAsyncEnumerable<SnapshotRow> ReadAsync(CancellationToken ct) => SnapshotStore.ReadAsync(work, history, ct);

    public ValueTask DisposeAsync() => work.DisposeAsync();
}
