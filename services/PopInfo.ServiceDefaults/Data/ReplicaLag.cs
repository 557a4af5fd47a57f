namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// How far a streaming replica is behind its primary, in time, from WAL positions alone (docs/database-replica.md, "A
/// replica far behind"): the primary's position is noted with the time it was read; a noted position the replica has not
/// replayed yet is a state of the primary the replica does not show, so the replica is at least as far behind as that
/// note is old. The oldest such note measures it. Nothing but two positions is needed — no monitoring rights, no clocks
/// compared between servers — and an idle primary (no new position) is never taken for a lagging replica.
/// </summary>
public sealed class ReplicaLag
{
    /// <summary>Notes kept at most: beyond it the oldest stay (they are the ones that measure), newer ones are not noted.</summary>
    public const int MaxNotes = 4096;

    // The primary's positions not yet replayed, oldest first; positions only grow.
    private readonly Queue<(DateTimeOffset At, long Position)> unreplayed = new();

    /// <summary>The primary was at <paramref name="position"/> (a WAL position in bytes) at <paramref name="at"/>.</summary>
    public void NotePrimary(DateTimeOffset at, long position)
    {
        if (unreplayed.Count < MaxNotes && (unreplayed.Count == 0 || position > LastNoted))
        {
            unreplayed.Enqueue((at, position));
            LastNoted = position;
        }
    }

    /// <summary>
    /// The replica has replayed up to <paramref name="replayed"/>: how long ago the primary was first at a position the
    /// replica has not replayed — zero when it has replayed every noted position.
    /// </summary>
    public TimeSpan Behind(DateTimeOffset now, long replayed)
    {
        while (unreplayed.Count > 0 && unreplayed.Peek().Position <= replayed)
        {
            unreplayed.Dequeue();
        }

        return unreplayed.Count == 0 ? TimeSpan.Zero : now - unreplayed.Peek().At;
    }

    /// <summary>Notes kept (for tests and the bound above).</summary>
    public int Noted => unreplayed.Count;

    private long LastNoted { get; set; }
}
