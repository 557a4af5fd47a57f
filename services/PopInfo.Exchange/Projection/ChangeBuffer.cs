using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PopInfo.Contracts.Registry;

namespace PopInfo.Exchange.Projection;

/// <summary>
/// Changes heard on the bus, waiting to be projected in sequence order. Memory only: the bus delivers
/// a person's changes in order but different persons' out of order, and a crash loses what is here — the
/// projector then reads the gap from the registry's change feed, which never skips an entry.
/// </summary>
/// <remarks>
/// Bounded by bytes, not by count (<see cref="ExchangeOptions.ChangeBufferBytes"/>): a change's weight is its message's
/// size as received, so a burst of large records cannot hold more memory than a burst of small ones. A change that
/// would pass the bound is dropped and later read from the feed — so the bound costs speed, never a change.
/// </remarks>
public sealed class ChangeBuffer(IOptions<ExchangeOptions> options)
{
    /// <summary>
    /// What a change is taken to weigh when its transport does not say (the embedded in-memory bus): about the size of
    /// a typical change's message on RabbitMQ (1.2 KB measured in docs/benchmarks.md, "Department exchange"), rounded up.
    /// </summary>
    public const long AssumedChangeBytes = 2048;

    private readonly long capacityBytes = options.Value.ChangeBufferBytes;
    private readonly ConcurrentDictionary<long, Waiting> changes = new();
    private long bytes;

    /// <summary>Changes waiting.</summary>
    public int Count => changes.Count;

    /// <summary>Their messages' bytes.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>Keeps <paramref name="change"/> unless that would pass the bound.</summary>
    /// <param name="change">A change heard on the bus.</param>
    /// <param name="messageBytes">The size of the message it came in; null or 0: <see cref="AssumedChangeBytes"/>.</param>
    /// <returns>False when it was dropped for room (the projector reads it from the feed).</returns>
    public bool Add(PersonChanged change, long? messageBytes)
    {
        var size = messageBytes is > 0 ? messageBytes.Value : AssumedChangeBytes;
        if (Interlocked.Add(ref bytes, size) > capacityBytes)
        {
            Interlocked.Add(ref bytes, -size);
            return false;
        }

        if (!changes.TryAdd(change.Sequence, new Waiting(change, size)))
        {
            Interlocked.Add(ref bytes, -size); // a repeat of one already waiting
        }

        return true;
    }

    /// <summary>The unbroken run of changes starting at <paramref name="next"/>, at most <paramref name="max"/>.</summary>
    public List<PersonChanged> TakeRun(long next, int max)
    {
        var run = new List<PersonChanged>();
        while (run.Count < max && changes.TryGetValue(next, out var waiting))
        {
            run.Add(waiting.Change);
            next++;
        }

        return run;
    }

    /// <summary>Forgets every change (an instance that does not lead the projection keeps none: the leader reads them from the feed).</summary>
    public void Clear() => Forget(_ => true);

    /// <summary>Forgets every change up to and including <paramref name="position"/>.</summary>
    public void DropThrough(long position) => Forget(sequence => sequence <= position);

    private void Forget(Func<long, bool> which)
    {
        foreach (var sequence in changes.Keys)
        {
            if (which(sequence) && changes.TryRemove(sequence, out var waiting))
            {
                Interlocked.Add(ref bytes, -waiting.Bytes);
            }
        }
    }

    private sealed record Waiting(PersonChanged Change, long Bytes);
}
