namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// A read on a streaming replica can be cancelled by the replica's own replay: when WAL it must apply conflicts with what
/// the read holds (a lock the primary took, rows the primary's vacuum removed) for longer than
/// <c>max_standby_streaming_delay</c>, PostgreSQL cancels the read — or ends its session, when it is idle in its
/// transaction — with SQLSTATE 40001 ("conflict with recovery"; 40P01 for a buffer-pin deadlock). Nothing was wrong with
/// the read: the same read again, in a new snapshot, succeeds (docs/database-replica.md, "Conflicts").
/// </summary>
public static class RecoveryConflicts
{
    /// <summary>Tries of one read before its conflict is let through: the replay that cancelled it has moved on by then.</summary>
    public const int Attempts = 3;

    /// <summary>True for the SQLSTATEs a recovery conflict ends a read with (on a primary, a serialization failure or deadlock: retried the same).</summary>
    public static bool IsConflict(Exception exception) => DatabaseErrors.Describe(exception) is { Code: "40001" or "40P01" };

    /// <summary>
    /// Runs <paramref name="read"/> (which opens its own connection and snapshot) and again, up to <see cref="Attempts"/> in
    /// all, while it ends in a recovery conflict; <paramref name="retrying"/> hears each retry (the attempt that failed, from 1).
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> read, Action<int, Exception>? retrying, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await read(ct);
            }
            catch (Exception e) when (attempt < Attempts && IsConflict(e) && !ct.IsCancellationRequested)
            {
                retrying?.Invoke(attempt, e);
            }
        }
    }
}
