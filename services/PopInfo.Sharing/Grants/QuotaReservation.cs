namespace PopInfo.Sharing.Grants;

/// <summary>
/// Items a request holds against its department's quota for one China day from admission until its audit rows commit
/// (then they are counted in the database) or it ends without them (then they are given back). Exactly one of the two
/// happens: the audit's writer takes the reservation with <see cref="TryStartWriting"/>, anyone else ends it with
/// <see cref="TryRelease"/>, and only the first of them wins.
/// </summary>
public sealed class QuotaReservation(string department, DateOnly day, int items)
{
    private const int Held = 0, Writing = 1, Ended = 2;
    private int state;

    public string Department => department;

    public DateOnly Day => day;

    public int Items => items;

    /// <summary>The audit's writer takes it into a batch: from now on only the batch's commit or failure ends it.</summary>
    internal bool TryStartWriting() => Interlocked.CompareExchange(ref state, Writing, Held) == Held;

    /// <summary>Ends it without counting, unless a batch has taken it; true when this call ended it.</summary>
    internal bool TryRelease() => Interlocked.CompareExchange(ref state, Ended, Held) == Held;

    /// <summary>The batch that took it has committed or failed.</summary>
    internal void Finish() => Volatile.Write(ref state, Ended);
}
