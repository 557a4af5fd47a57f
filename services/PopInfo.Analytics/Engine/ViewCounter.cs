namespace PopInfo.Analytics.Engine;

/// <summary>
/// Counts a day view into cells. Each window of the packed word that some binding reads becomes one look-up table
/// (its value → the sum of its bindings' category × stride, or <see cref="Drop"/> when a binding rejects it). A table
/// that reads only core windows is counted from the view's core counts. Any other goes run by run: the core tables give
/// the run's cell offset once (or drop the run whole), then each word in it costs one look-up per other window and one
/// add to its cell's accumulator; the tail's words get every look-up. Two partitions run side by side.
/// </summary>
public static class ViewCounter
{
    // Larger than any cell number (tables hold at most 250,000 cells) even when every window drops: 5 × 2^26 < 2^31.
    private const int Drop = 1 << 26;

    // A cell's accumulator holds its count from bit 40 up and the sum of its record-key bits below: one add per person.
    private const int CountShift = 40;
    private const ulong KeySumMask = (1UL << CountShift) - 1;

    /// <summary>Whether a view can answer these bindings (household size is not packed: it needs every member).</summary>
    public static bool CanCount(IEnumerable<Binding> bindings) => bindings.All(b => b.Source != Source.HouseholdSize);

    public static CellCounts Count(DayView view, PackedLayout layout, IReadOnlyList<Binding> bindings, int cells)
    {
        var tables = Tables(layout, bindings);
        var core = tables.Where(t => t.Window < DayView.CoreWindows).ToList();
        var rest = tables.Where(t => t.Window >= DayView.CoreWindows).ToList();
        if (rest.Count == 0)
        {
            return CountCore(view, core, cells);
        }

        var partitions = Math.Clamp(Environment.ProcessorCount, 1, 4);
        var results = new CellCounts[partitions];
        Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = partitions }, p =>
        {
            var counter = new Accumulators(cells, layout);
            // The runs split by their words; the last partition also takes the tail.
            var first = FirstRunAtOrAfter(view, (int)((long)view.OrderedLength * p / partitions));
            var end = FirstRunAtOrAfter(view, (int)((long)view.OrderedLength * (p + 1) / partitions));
            CountRuns(view, first, end, core, rest, counter);
            if (p == partitions - 1)
            {
                CountTail(view, tables, counter);
            }

            results[p] = counter.Flush();
        });

        for (var p = 1; p < partitions; p++)
        {
            results[0].Add(results[p]);
        }

        return results[0];
    }

    /// <summary>One table per window some binding reads: every value the window can hold → its cell offset or <see cref="Drop"/>.</summary>
    internal static List<Table> Tables(PackedLayout layout, IReadOnlyList<Binding> bindings)
    {
        var tables = new List<Table>();
        foreach (var window in layout.Windows)
        {
            var inWindow = bindings.Select(b => (Binding: b, Field: layout.FieldOf(b.Source))).Where(p => p.Field.Window == window.Number).ToList();
            if (inWindow.Count == 0)
            {
                continue;
            }

            var table = new int[1 << window.Width];
            for (var value = 0; value < table.Length; value++)
            {
                var sum = 0;
                foreach (var (binding, field) in inWindow)
                {
                    var category = binding.CategoryOfPacked((value >> (field.Shift - window.Shift)) & field.Mask);
                    if (category < 0)
                    {
                        sum = Drop;
                        break;
                    }

                    sum += category * binding.Stride;
                }

                table[value] = sum;
            }

            tables.Add(new Table(window.Number, window.Shift, window.Mask, table));
        }

        return tables;
    }

    /// <summary>A window's look-up table.</summary>
    internal sealed record Table(int Window, int Shift, int Mask, int[] Lookup);

    // A table of core fields only: each core combination's count and key sum go to its cell.
    private static CellCounts CountCore(DayView view, List<Table> tables, int cells)
    {
        var counts = new CellCounts(cells);
        var words = view.CoreWords;
        var people = view.CoreCounts;
        var keySums = view.CoreKeySums;
        for (var e = 0; e < view.CoreCount; e++)
        {
            var c = Offset(words[e], tables);
            if ((uint)c < (uint)cells)
            {
                counts.Counts[c] += people[e];
                counts.Keys[c] += keySums[e];
            }
        }

        return counts;
    }

    private static int Offset(long word, List<Table> tables)
    {
        var c = 0;
        foreach (var t in tables)
        {
            c += t.Lookup[(int)(word >> t.Shift) & t.Mask];
        }

        return c;
    }

    private static int FirstRunAtOrAfter(DayView view, int position)
    {
        var at = Array.BinarySearch(view.RunStart, 0, view.Runs + 1, position);
        if (at < 0)
        {
            return ~at;
        }

        // Several empty runs can start at the same word: take the first.
        while (at > 0 && view.RunStart[at - 1] == position)
        {
            at--;
        }

        return at;
    }

    private static void CountRuns(DayView view, int first, int end, List<Table> core, List<Table> rest, Accumulators counter)
    {
        var coreWords = view.CoreWords;
        var runStart = view.RunStart;
        for (var e = first; e < end; e++)
        {
            var from = runStart[e];
            var to = runStart[e + 1];
            var offset = Offset(coreWords[e], core);
            if (from == to || offset >= Drop)
            {
                continue;
            }

            while (from < to)
            {
                var take = Math.Min(to - from, counter.Room);
                if (rest.Count == 1)
                {
                    Run1(view.Words, from, from + take, offset, rest[0], counter);
                }
                else
                {
                    RunAny(view.Words, from, from + take, offset, rest, counter);
                }

                counter.Added(take);
                from += take;
            }
        }
    }

    // One run, one window besides the core (the common case): tombstones are dropped by their own test, rare and predictable.
    private static void Run1(ulong[] words, int from, int to, int offset, Table t, Accumulators counter)
    {
        var (shift, mask, lookup) = (t.Shift, t.Mask, t.Lookup);
        var cells = (uint)counter.Cells;
        var keyShift = counter.KeyShift;
        var accumulators = counter.Values;
        for (var i = from; i < to; i++)
        {
            var word = words[i];
            var c = offset + lookup[(int)(word >> shift) & mask];
            if ((uint)c < cells && word != DayView.Tombstone)
            {
                accumulators[c] += (1UL << CountShift) + (word >> keyShift);
            }
        }
    }

    private static void RunAny(ulong[] words, int from, int to, int offset, List<Table> rest, Accumulators counter)
    {
        var shifts = rest.Select(t => t.Shift).ToArray();
        var masks = rest.Select(t => t.Mask).ToArray();
        var lookups = rest.Select(t => t.Lookup).ToArray();
        var cells = (uint)counter.Cells;
        var keyShift = counter.KeyShift;
        var accumulators = counter.Values;
        for (var i = from; i < to; i++)
        {
            var word = words[i];
            var c = offset;
            for (var w = 0; w < lookups.Length; w++)
            {
                c += lookups[w][(int)(word >> shifts[w]) & masks[w]];
            }

            if ((uint)c < cells && word != DayView.Tombstone)
            {
                accumulators[c] += (1UL << CountShift) + (word >> keyShift);
            }
        }
    }

    // The tail: people changed since the view was last ordered, every window looked up (it holds no tombstones).
    private static void CountTail(DayView view, List<Table> tables, Accumulators counter)
    {
        for (var from = view.OrderedLength; from < view.Length;)
        {
            var take = Math.Min(view.Length - from, counter.Room);
            RunAny(view.Words, from, from + take, 0, tables, counter);
            counter.Added(take);
            from += take;
        }
    }

    /// <summary>
    /// A partition's accumulators: each holds a count and a key sum, emptied into true counts before the key sums could
    /// reach the count's bits (2^(40 − key bits) people: eight million with 17-bit keys).
    /// </summary>
    private sealed class Accumulators(int cells, PackedLayout layout)
    {
        private readonly CellCounts counts = new(cells);
        private readonly int capacity = 1 << (CountShift - layout.KeyBits);
        private int added;

        public ulong[] Values { get; } = new ulong[cells];

        public int Cells => cells;

        public int KeyShift => layout.KeyShift;

        /// <summary>How many more people can be added before the accumulators must be emptied.</summary>
        public int Room => capacity - added;

        public void Added(int people)
        {
            added += people;
            if (added == capacity)
            {
                Empty();
            }
        }

        public CellCounts Flush()
        {
            Empty();
            return counts;
        }

        private void Empty()
        {
            for (var c = 0; c < Values.Length; c++)
            {
                counts.Counts[c] += (long)(Values[c] >> CountShift);
                counts.Keys[c] += (uint)((Values[c] & KeySumMask) << (32 - layout.KeyBits));
            }

            Array.Clear(Values);
            added = 0;
        }
    }
}
