using PopInfo.Contracts.Registry;

namespace PopInfo.Registry.Relay;

/// <summary>
/// The changes this instance has just committed, handed to <see cref="ChangeLogRelay"/> in memory so that it need not read
/// back from the database what it was just told: at a steady trickle each change is a batch of its own, and that read was
/// a round trip (and a JSON parse) on every change's way to the bus. The change log stays the truth: the relay takes from
/// here only a run that continues its position without a gap, and reads the log whenever the next number is not here —
/// a change of another instance, one whose committer has not handed it over yet, anything after a restart.
/// Bounded: a follower's instance (whose relay does not lead) hands over too, and forgets all once it holds
/// <see cref="Capacity"/>.
/// </summary>
public sealed class CommittedChanges
{
    /// <summary>At most this many changes are held; one more and all are forgotten (the relay then reads the log).</summary>
    public const int Capacity = 1024;

    private readonly Lock gate = new();
    private readonly Dictionary<long, PersonChanged> held = [];

    /// <summary>Hands over a committed change, numbered and with the trace context the log stores with it.</summary>
    public void Add(PersonChanged change)
    {
        lock (gate)
        {
            if (held.Count >= Capacity)
            {
                held.Clear();
            }

            held[change.Sequence] = change;
        }
    }

    /// <summary>
    /// The changes numbered <paramref name="after"/> + 1, + 2, … without a gap, at most <paramref name="limit"/>, in order;
    /// empty when the next number is not held. Forgets every change up to the last one returned (and any at or below
    /// <paramref name="after"/>): each is taken once.
    /// </summary>
    public List<PersonChanged> TakeAfter(long after, int limit)
    {
        var run = new List<PersonChanged>();
        lock (gate)
        {
            while (run.Count < limit && held.Remove(after + run.Count + 1, out var next))
            {
                run.Add(next);
            }

            if (held.Count > 0)
            {
                var last = after + run.Count;
                foreach (var sequence in held.Keys.Where(s => s <= last).ToList())
                {
                    held.Remove(sequence);
                }
            }
        }

        return run;
    }

    /// <summary>Forgets every change held (the relay follows another instance's lead).</summary>
    public void Clear()
    {
        lock (gate)
        {
            held.Clear();
        }
    }

    /// <summary>How many changes are held (for tests).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return held.Count;
            }
        }
    }
}
