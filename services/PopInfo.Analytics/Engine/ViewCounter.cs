using System.Runtime.CompilerServices;

namespace PopInfo.Analytics.Engine;

/// <summary>
/// Counts a day view into cells. Each window of the packed word that some binding reads becomes one look-up table
/// (its value → the sum of its bindings' category × stride, or <see cref="Drop"/> when a binding rejects it). A table
/// that reads only core windows is counted from the view's core counts. Any other reads the runs the second core window
/// keeps (its groups of runs, <see cref="DayView.GroupStart"/>; the over-60s or women 15–59 are a few stretches of
/// memory): when no community is dropped, each kept stretch word by word (the community looked up per word); else run
/// by run, a dropped community's run skipped whole. Each word then costs one look-up per other window and one add to its
/// cell's accumulator; the tail's words get every look-up. The kept words are cut into equal shares counted side by side,
/// one per processor. The loops are compiled fully optimised at once: tiered compilation would run a planner's first
/// thirty tables on unoptimised code.
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
        Count(view, layout, bindings, cells, capacity: null, partitions: null);

    /// <summary>
    /// With <paramref name="capacity"/> people between emptyings of the accumulators and <paramref name="partitions"/>
    /// counting side by side (tests empty the accumulators mid-run and cut the runs in several places).
    /// </summary>
    internal static CellCounts Count(DayView view, PackedLayout layout, IReadOnlyList<Binding> bindings, int cells, int? capacity, int? partitions)
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
        var communities = core.FirstOrDefault(t => t.Window == 0);
        var groups = core.FirstOrDefault(t => t.Window == 1);
        // When no community is dropped, a kept group's runs are read as one stretch, the community looked up per word:
        // cheaper than a run's set-up and its mispredicted exit every dozen words. Else run by run, dropped runs skipped.
        var whole = communities is null || communities.Lookup.AsSpan(0, layout.Communities).IndexOfAnyInRange(Drop, int.MaxValue) < 0;
        var stretchWindows = new Windows([communities ?? NoCommunity(layout), .. rest]);
        var segments = KeptSegments(view, groups);
        var sides = partitions ?? Math.Clamp(Environment.ProcessorCount, 1, 4);
        var cuts = Cuts(view, segments, sides);
        var results = new CellCounts[sides];
        Parallel.For(0, sides, new ParallelOptions { MaxDegreeOfParallelism = sides }, p =>
        {
            var counter = new Accumulators(cells, layout, capacity);
            foreach (var (first, end, offset) in Between(segments, cuts[p], cuts[p + 1]))
            {
                if (whole)
                {
                    CountStretch(view.Words, view.RunStart[first], view.RunStart[end], offset, stretchWindows, counter);
                }
                else
                {
                    CountRuns(view, first, end, offset, communities, restWindows, counter);
                }
            }

            // The last partition also takes the tail.
            if (p == sides - 1)
            {
                CountTail(view, allWindows, counter);
            }

            results[p] = counter.Flush();
        });

        for (var p = 1; p < sides; p++)
        {
            results[0].Add(results[p]);
        }

        return results[0];
    }

    /// <summary>Runs <c>FirstRun .. EndRun</c>, each of whose people has <c>Offset</c> added to their cell (from the second core window).</summary>
    private readonly record struct Segment(int FirstRun, int EndRun, int Offset);

    // The groups of runs the second core window's table keeps (all runs, offset 0, when no binding reads it).
    private static List<Segment> KeptSegments(DayView view, Table? groups)
    {
        if (groups is null)
        {
            return [new Segment(0, view.Runs, 0)];
        }

        var start = view.GroupStart;
        var kept = new List<Segment>();
        for (var g = 0; g + 1 < start.Length; g++)
        {
            if (start[g] < start[g + 1] && groups.Lookup[g] < Drop)
            {
                kept.Add(new Segment(start[g], start[g + 1], groups.Lookup[g]));
            }
        }

        return kept;
    }

    // Where each partition's share of the kept words begins (a segment and a run in it): equal shares, cut between runs.
    private static (int Segment, int Run)[] Cuts(DayView view, List<Segment> segments, int partitions)
    {
        var runStart = view.RunStart;
        long total = 0;
        foreach (var s in segments)
        {
            total += runStart[s.EndRun] - runStart[s.FirstRun];
        }

        var cuts = new (int, int)[partitions + 1];
        var at = 0;
        long before = 0;
        for (var p = 0; p <= partitions; p++)
        {
            var target = total * p / partitions;
            while (at < segments.Count && before + runStart[segments[at].EndRun] - runStart[segments[at].FirstRun] <= target && p < partitions)
            {
                before += runStart[segments[at].EndRun] - runStart[segments[at].FirstRun];
                at++;
            }

            cuts[p] = p == partitions || at == segments.Count
                ? (segments.Count, 0)
                : (at, Math.Clamp(FirstRunAtOrAfter(view, runStart[segments[at].FirstRun] + (int)(target - before)), segments[at].FirstRun, segments[at].EndRun));
        }

        return cuts;
    }

    // The segments (or their parts) from one cut to the next.
    private static IEnumerable<Segment> Between(List<Segment> segments, (int Segment, int Run) from, (int Segment, int Run) to)
    {
        for (var i = from.Segment; i <= to.Segment && i < segments.Count; i++)
        {
            var first = i == from.Segment ? from.Run : segments[i].FirstRun;
            var end = i == to.Segment ? to.Run : segments[i].EndRun;
            if (first < end)
            {
                yield return segments[i] with { FirstRun = first, EndRun = end };
            }
        }
    }

    // A community table for a count that reads no community: every community is cell 0, a tombstone dropped.
    private static Table NoCommunity(PackedLayout layout)
    {
        var window = layout.Windows[0];
        var lookup = new int[1 << window.Width];
        lookup[^1] = Drop;
        return new Table(0, window.Shift, window.Mask, lookup);
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

    // Runs are short (a dozen words for the city): the loop over them and the loop over their words are one method, with
    // everything a word needs in locals, so that a run costs a look-up and a few compares besides its words. A word no
    // cell takes (a filter dropped it, or a tombstone: its every window is all ones, which every table drops) is added to
    // one of four spill accumulators past the cells, in turn: no branch to mispredict when a filter keeps people at
    // random, and no chain of adds to one address.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountRuns(DayView view, int first, int end, int groupOffset, Table? communities, Windows rest, Accumulators counter)
    {
        var runCore = view.RunCore;
        var runStart = view.RunStart;
        var (communityShift, communityMask, communityLookup) = communities is null ? (0, 0, [0]) : (communities.Shift, communities.Mask, communities.Lookup);
        var words = view.Words;
        var (shift, mask, lookup) = (rest.Shifts[0], rest.Masks[0], rest.Lookups[0]);
        var accumulators = counter.Values;
        var cells = (uint)counter.Cells;
        var keyShift = counter.KeyShift;
        for (var r = first; r < end; r++)
        {
            var offset = groupOffset + communityLookup[(runCore[r] >> communityShift) & communityMask];
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
                accumulators[CellOrSpill(c, cells, i)] += (1UL << CountShift) + (word >> keyShift);
            }

            counter.Added(to - from);
        }
    }

    // A stretch of runs read word by word: the community window and the others looked up for each.
    private static void CountStretch(ulong[] words, int from, int to, int offset, Windows windows, Accumulators counter)
    {
        if (windows.Count != 2)
        {
            RunInPieces(words, from, to, offset, windows, counter);
            return;
        }

        while (from < to)
        {
            var take = Math.Min(to - from, counter.Room);
            StretchOfTwo(words, from, from + take, offset, windows, counter);
            counter.Added(take);
            from += take;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StretchOfTwo(ulong[] words, int from, int to, int offset, Windows windows, Accumulators counter)
    {
        var (s0, m0, t0) = (windows.Shifts[0], windows.Masks[0], windows.Lookups[0]);
        var (s1, m1, t1) = (windows.Shifts[1], windows.Masks[1], windows.Lookups[1]);
        var cells = (uint)counter.Cells;
        var keyShift = counter.KeyShift;
        var accumulators = counter.Values;
        for (var i = from; i < to; i++)
        {
            var word = words[i];
            var c = offset + t0[(int)(word >> s0) & m0] + t1[(int)(word >> s1) & m1];
            accumulators[CellOrSpill(c, cells, i)] += (1UL << CountShift) + (word >> keyShift);
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

            accumulators[CellOrSpill(c, cells, i)] += (1UL << CountShift) + (word >> keyShift);
        }
    }

    // A word's cell, or one of the spill accumulators (in turn) when no cell takes it (c at or past the cells: a filter
    // dropped it; never negative). A select without a branch: Math.Min compiled to one, and when a filter keeps people
    // at random its mispredictions tripled the cost of a word (5.6 against 1.9 ns measured).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint CellOrSpill(int c, uint cells, int i)
    {
        var inside = (uint)(((long)(uint)c - cells) >> 63);
        return ((uint)c & inside) | ((cells + ((uint)i & (Spills - 1))) & ~inside);
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
