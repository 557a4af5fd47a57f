using System.Runtime.CompilerServices;

namespace PopInfo.Analytics.Engine;

/// <summary>
/// Counts a day view into cells. Each window of the packed word that some binding reads becomes one look-up table
/// (its value → the sum of its bindings' category × stride, or <see cref="Drop"/> when a binding rejects it). A table
/// that reads only core windows is counted from the view's core counts. Any other goes run by run: the core tables give
/// the run's cell offset once (or drop the run whole), then each word in it costs one look-up per other window and one
/// add to its cell's accumulator; the tail's words get every look-up. Two partitions run side by side. The loops are
/// compiled fully optimised at once: tiered compilation would run a planner's first thirty tables on unoptimised code.
/// </summary>
public static class ViewCounter
{
    // Larger than any cell number (tables hold at most 250,000 cells) even when every window drops: 5 × 2^26 < 2^31.
    private const int Drop = 1 << 26;

    // A cell's accumulator holds its count from bit 40 up and the sum of its record-key bits below: one add per person.
    // Past the cells, four spill accumulators take (in turn) the words no cell takes.
    private const int Spills = 4;
    private const int CountShift = 40;
    private const ulong KeySumMask = (1UL << CountShift) - 1;

    /// <summary>Whether a view can answer these bindings (household size is not packed: it needs every member).</summary>
    public static bool CanCount(IEnumerable<Binding> bindings) => bindings.All(b => b.Source != Source.HouseholdSize);

    public static CellCounts Count(DayView view, PackedLayout layout, IReadOnlyList<Binding> bindings, int cells) =>
        Count(view, layout, bindings, cells, capacity: null);

    /// <summary>With <paramref name="capacity"/> people between emptyings of the accumulators (tests make it small to empty them mid-run).</summary>
    internal static CellCounts Count(DayView view, PackedLayout layout, IReadOnlyList<Binding> bindings, int cells, int? capacity)
    {
        var tables = Tables(layout, bindings);
        var core = tables.Where(t => t.Window < DayView.CoreWindows).ToList();
        var rest = tables.Where(t => t.Window >= DayView.CoreWindows).ToList();
        if (rest.Count == 0)
        {
            return CountCore(view, core, cells);
        }

        var restWindows = new Windows(rest);
        var allWindows = new Windows(tables);
        var partitions = Math.Clamp(Environment.ProcessorCount, 1, 4);
        var results = new CellCounts[partitions];
        Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = partitions }, p =>
        {
            var counter = new Accumulators(cells, layout, capacity);
            // The runs split by their words; the last partition also takes the tail.
            var first = FirstRunAtOrAfter(view, (int)((long)view.OrderedLength * p / partitions));
            var end = FirstRunAtOrAfter(view, (int)((long)view.OrderedLength * (p + 1) / partitions));
            CountRuns(view, first, end, core, restWindows, counter);
            if (p == partitions - 1)
            {
                CountTail(view, allWindows, counter);
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

            // No person has a window of all ones (every field leaves its largest value unused): a tombstone has.
            table[^1] = Drop;

            tables.Add(new Table(window.Number, window.Shift, window.Mask, table));
        }

        return tables;
    }

    /// <summary>A window's look-up table.</summary>
    internal sealed record Table(int Window, int Shift, int Mask, int[] Lookup);

    // A table of core fields only: each core combination's count and key sum go to its cell.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static CellCounts CountCore(DayView view, List<Table> tables, int cells)
    {
        var counts = new CellCounts(cells);
        var words = view.CoreWords;
        var people = view.CoreCounts;
        var keySums = view.CoreKeySums;
        var core = new CoreOffsets(tables);
        for (var e = 0; e < view.CoreCount; e++)
        {
            var c = core.Of(words[e]);
            if ((uint)c < (uint)cells)
            {
                counts.Counts[c] += people[e];
                counts.Keys[c] += keySums[e];
            }
        }

        return counts;
    }

    /// <summary>The cell offset of a core combination: at most two windows, each looked up (an absent one reads a zero).</summary>
    private readonly struct CoreOffsets
    {
        private static readonly int[] Zero = [0];
        private readonly int s0, m0, s1, m1;
        private readonly int[] t0, t1;

        public CoreOffsets(List<Table> core)
        {
            (s0, m0, t0) = core.Count > 0 ? (core[0].Shift, core[0].Mask, core[0].Lookup) : (0, 0, Zero);
            (s1, m1, t1) = core.Count > 1 ? (core[1].Shift, core[1].Mask, core[1].Lookup) : (0, 0, Zero);
        }

        public int Of(int word) => t0[(word >> s0) & m0] + t1[(word >> s1) & m1];
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

    // Runs are short (a few dozen words for the city): the loop over them and the loop over their words are one method,
    // with everything a word needs in locals, so that a run costs two look-ups and a few compares besides its words. A
    // word no cell takes (a filter dropped it, or a tombstone: its every window is all ones, which every table drops) is
    // added to one of four spill accumulators past the cells, in turn: no branch to mispredict when a filter keeps people
    // at random, and no chain of adds to one address.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountRuns(DayView view, int first, int end, List<Table> core, Windows rest, Accumulators counter)
    {
        var runCore = view.RunCore;
        var runStart = view.RunStart;
        var offsets = new CoreOffsets(core);
        var words = view.Words;
        var (shift, mask, lookup) = (rest.Shifts[0], rest.Masks[0], rest.Lookups[0]);
        var accumulators = counter.Values;
        var cells = (uint)counter.Cells;
        var keyShift = counter.KeyShift;
        for (var r = first; r < end; r++)
        {
            var offset = offsets.Of(runCore[r]);
            var from = runStart[r];
            var to = runStart[r + 1];
            if (offset >= Drop || from == to)
            {
                continue;
            }

            if (rest.Count > 1 || to - from > counter.Room)
            {
                // Several windows besides the core, or the accumulators nearly full: the general loop.
                RunInPieces(words, from, to, offset, rest, counter);
                continue;
            }

            for (var i = from; i < to; i++)
            {
                var word = words[i];
                var c = offset + lookup[(int)(word >> shift) & mask];
                accumulators[Math.Min((uint)c, cells + ((uint)i & (Spills - 1)))] += (1UL << CountShift) + (word >> keyShift);
            }

            counter.Added(to - from);
        }
    }

    private static void RunInPieces(ulong[] words, int from, int to, int offset, Windows windows, Accumulators counter)
    {
        while (from < to)
        {
            var take = Math.Min(to - from, counter.Room);
            RunAny(words, from, from + take, offset, windows, counter);
            counter.Added(take);
            from += take;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunAny(ulong[] words, int from, int to, int offset, Windows windows, Accumulators counter)
    {
        var (shifts, masks, lookups) = (windows.Shifts, windows.Masks, windows.Lookups);
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

            accumulators[Math.Min((uint)c, cells + ((uint)i & (Spills - 1)))] += (1UL << CountShift) + (word >> keyShift);
        }
    }

    // The tail: people changed since the view was last ordered, every window looked up (it holds no tombstones).
    private static void CountTail(DayView view, Windows all, Accumulators counter) =>
        RunInPieces(view.Words, view.OrderedLength, view.Length, 0, all, counter);

    /// <summary>Some windows' tables as arrays, made once per count.</summary>
    private sealed class Windows(IReadOnlyList<Table> tables)
    {
        public int Count => Lookups.Length;

        public int[] Shifts { get; } = [.. tables.Select(t => t.Shift)];

        public int[] Masks { get; } = [.. tables.Select(t => t.Mask)];

        public int[][] Lookups { get; } = [.. tables.Select(t => t.Lookup)];
    }

    /// <summary>
    /// A partition's accumulators: each holds a count and a key sum, emptied into true counts before the key sums could
    /// reach the count's bits (2^(40 − key bits) people: four million with 18-bit keys).
    /// </summary>
    private sealed class Accumulators(int cells, PackedLayout layout, int? capacityForTests)
    {
        private readonly CellCounts counts = new(cells);
        private readonly int capacity = capacityForTests ?? 1 << (CountShift - layout.KeyBits);
        private int added;

        public ulong[] Values { get; } = new ulong[cells + Spills];

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
            for (var c = 0; c < cells; c++)
            {
                counts.Counts[c] += (long)(Values[c] >> CountShift);
                counts.Keys[c] += (uint)((Values[c] & KeySumMask) << (32 - layout.KeyBits));
            }

            Array.Clear(Values);
            added = 0;
        }
    }
}
