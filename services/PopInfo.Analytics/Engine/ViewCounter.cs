namespace PopInfo.Analytics.Engine;

/// <summary>
/// Counts a day view into cells. Each window of the packed word that some binding reads becomes one look-up table
/// (its value → the sum of its bindings' category × stride, or <see cref="Drop"/> when a binding rejects it), so a
/// person costs one look-up per window and one add to its cell's accumulator. Two partitions run side by side.
/// </summary>
public static class ViewCounter
{
    // Larger than any cell number (tables hold at most 250,000 cells) even when every window drops: 5 × 2^26 < 2^31.
    private const int Drop = 1 << 26;

    /// <summary>Whether a view can answer these bindings (household size is not packed: it needs every member).</summary>
    public static bool CanCount(IEnumerable<Binding> bindings) => bindings.All(b => b.Source != Source.HouseholdSize);

    public static CellCounts Count(DayView view, PackedLayout layout, IReadOnlyList<Binding> bindings, int cells)
    {
        var tables = Tables(layout, bindings);
        if (tables.All(t => t.Window < DayView.CoreWindows))
        {
            return CountCore(view, tables, cells);
        }

        var partitions = Math.Clamp(Environment.ProcessorCount, 1, 4);
        var results = new CellCounts[partitions];
        Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = partitions }, p =>
        {
            var start = (int)((long)view.Count * p / partitions);
            var end = (int)((long)view.Count * (p + 1) / partitions);
            var counts = new CellCounts(cells);
            Run(view, layout, start, end, tables, counts);
            results[p] = counts;
        });

        for (var p = 1; p < partitions; p++)
        {
            results[0].Add(results[p]);
        }

        return results[0];
    }

    /// <summary>One table per window some binding reads: every value the window can hold → its cell offset or <see cref="Drop"/>.</summary>
    internal static List<(int Window, int Shift, int Mask, int[] Table)> Tables(PackedLayout layout, IReadOnlyList<Binding> bindings)
    {
        var tables = new List<(int, int, int, int[])>();
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

            tables.Add((window.Number, window.Shift, window.Mask, table));
        }

        return tables;
    }

    // People go through in blocks of at most 2^20: within one, a cell's accumulator holds its count from bit 40 up and the
    // sum of its record-key bits below (at most 2^20 × 2^20 < 2^40), so each person costs one add, not two.
    private const int Block = 1 << 20;
    private const int CountShift = 40;
    private const ulong KeySumMask = (1UL << CountShift) - 1;

    private static void Run(DayView view, PackedLayout layout, int start, int end, List<(int Window, int Shift, int Mask, int[] Table)> tables, CellCounts counts)
    {
        var accumulators = new ulong[counts.Counts.Length];
        for (var from = start; from < end; from += Block)
        {
            var to = Math.Min(end, from + Block);
            switch (tables.Count)
            {
                case 0: Everyone(view, layout, from, to, accumulators); break;
                case 1 or 2: Count2(view, layout, from, to, tables, accumulators); break;
                case 3: Count3(view, layout, from, to, tables, accumulators); break;
                default: CountAny(view, layout, from, to, tables, accumulators); break;
            }

            for (var c = 0; c < accumulators.Length; c++)
            {
                counts.Counts[c] += (long)(accumulators[c] >> CountShift);
                counts.Keys[c] += (uint)((accumulators[c] & KeySumMask) << (32 - layout.KeyBits));
            }

            Array.Clear(accumulators);
        }
    }

    // A table of core fields only: each core combination's count and key sum go to its cell.
    private static CellCounts CountCore(DayView view, List<(int Window, int Shift, int Mask, int[] Table)> tables, int cells)
    {
        var counts = new CellCounts(cells);
        var words = view.CoreWords;
        var people = view.CoreCounts;
        var keySums = view.CoreKeySums;
        for (var e = 0; e < view.CoreCount; e++)
        {
            var c = 0;
            foreach (var (_, shift, mask, table) in tables)
            {
                c += table[(words[e] >> shift) & mask];
            }

            if ((uint)c < (uint)cells)
            {
                counts.Counts[c] += people[e];
                counts.Keys[c] += keySums[e];
            }
        }

        return counts;
    }

    private static void Everyone(DayView view, PackedLayout layout, int start, int end, ulong[] accumulators)
    {
        var packed = view.Packed;
        var keyShift = layout.KeyShift;
        for (var i = start; i < end; i++)
        {
            accumulators[0] += (1UL << CountShift) + (packed[i] >> keyShift);
        }
    }

    // The common shapes get a loop each, so that the JIT keeps tables, shifts and masks in registers (one or two windows:
    // the second table of a lone window is all zeros).
    private static void Count2(DayView view, PackedLayout layout, int start, int end, List<(int Window, int Shift, int Mask, int[] Table)> tables, ulong[] accumulators)
    {
        var (_, s0, m0, t0) = tables[0];
        var (_, s1, m1, t1) = tables.Count > 1 ? tables[1] : (0, 0, 0, new int[1]);
        var packed = view.Packed;
        var keyShift = layout.KeyShift;
        var cells = (uint)accumulators.Length;
        for (var i = start; i < end; i++)
        {
            var word = packed[i];
            var c = t0[(int)(word >> s0) & m0] + t1[(int)(word >> s1) & m1];
            if ((uint)c < cells)
            {
                accumulators[c] += (1UL << CountShift) + (word >> keyShift);
            }
        }
    }

    private static void Count3(DayView view, PackedLayout layout, int start, int end, List<(int Window, int Shift, int Mask, int[] Table)> tables, ulong[] accumulators)
    {
        var (_, s0, m0, t0) = tables[0];
        var (_, s1, m1, t1) = tables[1];
        var (_, s2, m2, t2) = tables[2];
        var packed = view.Packed;
        var keyShift = layout.KeyShift;
        var cells = (uint)accumulators.Length;
        for (var i = start; i < end; i++)
        {
            var word = packed[i];
            var c = t0[(int)(word >> s0) & m0] + t1[(int)(word >> s1) & m1] + t2[(int)(word >> s2) & m2];
            if ((uint)c < cells)
            {
                accumulators[c] += (1UL << CountShift) + (word >> keyShift);
            }
        }
    }

    private static void CountAny(DayView view, PackedLayout layout, int start, int end, List<(int Window, int Shift, int Mask, int[] Table)> tables, ulong[] accumulators)
    {
        var packed = view.Packed;
        var keyShift = layout.KeyShift;
        var cells = (uint)accumulators.Length;
        var shifts = tables.Select(t => t.Shift).ToArray();
        var masks = tables.Select(t => t.Mask).ToArray();
        var lookups = tables.Select(t => t.Table).ToArray();
        for (var i = start; i < end; i++)
        {
            var word = packed[i];
            var c = 0;
            for (var w = 0; w < lookups.Length; w++)
            {
                c += lookups[w][(int)(word >> shifts[w]) & masks[w]];
            }

            if ((uint)c < cells)
            {
                accumulators[c] += (1UL << CountShift) + (word >> keyShift);
            }
        }
    }
}
