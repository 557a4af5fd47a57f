using System.Collections.Concurrent;
using PopInfo.Contracts.Registry;

namespace PopInfo.Exchange.Projection;

/// <summary>
/// Changes heard on the bus, waiting to be projected in sequence order. Memory only: the bus delivers
/// a person's changes in order but different persons' out of order, and a crash loses what is here — the
/// projector then reads the gap from the registry's change feed, which never skips an entry.
/// </summary>
public sealed class ChangeBuffer
{
    /// <summary>Beyond this many waiting changes new ones are dropped (and read from the feed later).</summary>
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<long, PersonChanged> changes = new();

    public int Count => changes.Count;

    public void Add(PersonChanged change)
    {
        if (changes.Count < Capacity)
        {
            changes.TryAdd(change.Sequence, change);
        }
    }

    /// <summary>The unbroken run of changes starting at <paramref name="next"/>, at most <paramref name="max"/>.</summary>
    public List<PersonChanged> TakeRun(long next, int max)
    {
        var run = new List<PersonChanged>();
        while (run.Count < max && changes.TryGetValue(next, out var change))
        {
            run.Add(change);
            next++;
        }

        return run;
    }

    /// <summary>Forgets every change (an instance that does not lead the projection keeps none: the leader reads them from the feed).</summary>
    public void Clear() => changes.Clear();

    /// <summary>Forgets every change up to and including <paramref name="position"/>.</summary>
    public void DropThrough(long position)
    {
        foreach (var sequence in changes.Keys)
        {
            if (sequence <= position)
            {
                changes.TryRemove(sequence, out _);
            }
        }
    }
}
