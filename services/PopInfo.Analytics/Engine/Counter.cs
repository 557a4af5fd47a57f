using System.Runtime.CompilerServices;

namespace PopInfo.Analytics.Engine;

/// <summary>True counts and cell keys (the sums of the contributors' record keys, mod 2³²) of a table's cells.</summary>
public sealed class CellCounts(int cells)
{
    public long[] Counts { get; } = new long[cells];

    public uint[] Keys { get; } = new uint[cells];

    public void Add(CellCounts other)
    {
        for (var i = 0; i < Counts.Length; i++)
        {
            Counts[i] += other.Counts[i];
            Keys[i] += other.Keys[i];
        }
    }
}

/// <summary>
/// Counts the rows valid on a day into cells, block by block: each binding is one tight pass over a block of rows
/// (a look-up per row), then the surviving rows are added to their cells. Two partitions run side by side.
/// </summary>
public static class Counter
{
    private const int Block = 4096;

    /// <summary>The rows a count reads: the whole index, or the rows of some communities.</summary>
    public sealed record Rows(int[]? Communities)
    {
        public static readonly Rows All = new((int[]?)null);
    }

    public static CellCounts Count(PopulationIndex.IndexView view, Rows rows, int day, TimeBasis basis, IReadOnlyList<Binding> bindings, int cells)
    {
        var sizes = bindings.Any(b => b.Source == Source.HouseholdSize) ? HouseholdSizesOn(view, day, basis) : null;
        var partitions = Math.Clamp(Environment.ProcessorCount, 1, 4);
        var results = new CellCounts[partitions];
        var view1 = view;
        Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = partitions }, p =>
        {
            var counts = new CellCounts(cells);
            var ids = new int[Block];
            var cell = new int[Block];
            foreach (var (start, length, list) in Slices(view1, rows, p, partitions))
            {
                for (var offset = 0; offset < length; offset += Block)
                {
                    var n = Select(view1, list, start + offset, Math.Min(Block, length - offset), day, basis, ids);
                    CountBlock(view1, ids.AsSpan(0, n), cell.AsSpan(0, n), bindings, sizes, counts);
                }
            }

            results[p] = counts;
        });

        for (var p = 1; p < partitions; p++)
        {
            results[0].Add(results[p]);
        }

        return results[0];
    }

    /// <summary>Members living in each household on the day (households hold people of one address: counted city-wide, so a region's edge cuts none).</summary>
    public static int[] HouseholdSizesOn(PopulationIndex.IndexView view, int day, TimeBasis basis)
    {
        var sizes = new int[view.HouseholdCount];
        var (from, to) = basis == TimeBasis.Occurred ? (view.ValidFrom, view.ValidTo) : (view.KnownFrom, view.KnownTo);
        var household = view.Household;
        var community = view.Community;
        for (var r = 0; r < view.RowCount; r++)
        {
            if (household[r] >= 0 && community[r] >= 0 && from[r] <= day && day < to[r])
            {
                sizes[household[r]]++;
            }
        }

        return sizes;
    }

    // The rows of a stretch (of the index, or of a community's list) that count on the day: living in a community, the
    // version valid (or known) then. Only those go through the dimensions' passes.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Select(PopulationIndex.IndexView view, int[]? list, int start, int length, int day, TimeBasis basis, int[] ids)
    {
        var (from, to) = basis == TimeBasis.Occurred ? (view.ValidFrom, view.ValidTo) : (view.KnownFrom, view.KnownTo);
        var community = view.Community;
        var n = 0;
        if (list is null)
        {
            for (var r = start; r < start + length; r++)
            {
                if (community[r] >= 0 && from[r] <= day && day < to[r])
                {
                    ids[n++] = r;
                }
            }
        }
        else
        {
            for (var i = start; i < start + length; i++)
            {
                var r = list[i];
                if (community[r] >= 0 && from[r] <= day && day < to[r])
                {
                    ids[n++] = r;
                }
            }
        }

        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountBlock(PopulationIndex.IndexView view, ReadOnlySpan<int> ids, Span<int> cell,
        IReadOnlyList<Binding> bindings, int[]? householdSizes, CellCounts counts)
    {
        var community = view.Community;
        cell.Clear();
        foreach (var b in bindings)
        {
            switch (b.Source)
            {
                case Source.Community: Pass(ids, cell, community, b); break;
                case Source.BirthDay: PassBirth(ids, cell, view.BirthDay, b); break;
                case Source.Sex: Pass(ids, cell, view.Sex, b); break;
                case Source.ResidenceType: Pass(ids, cell, view.ResidenceType, b); break;
                case Source.Education: Pass(ids, cell, view.Education, b); break;
                case Source.Marital: Pass(ids, cell, view.Marital, b); break;
                case Source.Ethnicity: Pass(ids, cell, view.Ethnicity, b); break;
                case Source.Province: Pass(ids, cell, view.Province, b); break;
                case Source.Reason: Pass(ids, cell, view.Reason, b); break;
                case Source.HouseholdSize: PassHousehold(ids, cell, view.Household, householdSizes!, b); break;
            }
        }

        var keys = view.RowKey;
        for (var i = 0; i < ids.Length; i++)
        {
            var c = cell[i];
            if (c >= 0)
            {
                counts.Counts[c]++;
                counts.Keys[c] += keys[ids[i]];
            }
        }
    }

    // One dimension over a block: the category of each selected row's value, or −1 to drop the row. Generic over the
    // column's element type (byte codes, int communities); the JIT makes one loop per type.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pass<T>(ReadOnlySpan<int> ids, Span<int> cell, T[] column, Binding b) where T : struct, System.Numerics.IBinaryInteger<T>
    {
        var lookup = b.Lookup;
        var stride = b.Stride;
        for (var i = 0; i < ids.Length; i++)
        {
            if (cell[i] >= 0)
            {
                var category = lookup[int.CreateTruncating(column[ids[i]])];
                cell[i] = category < 0 ? -1 : cell[i] + category * stride;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PassBirth(ReadOnlySpan<int> ids, Span<int> cell, int[] birthDay, Binding b)
    {
        var lookup = b.Lookup;
        var stride = b.Stride;
        var offset = b.Offset;
        for (var i = 0; i < ids.Length; i++)
        {
            if (cell[i] >= 0)
            {
                var at = birthDay[ids[i]] - offset;
                var category = (uint)at < (uint)lookup.Length ? lookup[at] : -1;
                cell[i] = category < 0 ? -1 : cell[i] + category * stride;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PassHousehold(ReadOnlySpan<int> ids, Span<int> cell, int[] household, int[] sizes, Binding b)
    {
        var lookup = b.Lookup;
        var stride = b.Stride;
        for (var i = 0; i < ids.Length; i++)
        {
            if (cell[i] >= 0)
            {
                var h = household[ids[i]];
                var category = lookup[h < 0 ? 0 : Math.Min(sizes[h], HouseholdSizes.Largest)];
                cell[i] = category < 0 ? -1 : cell[i] + category * stride;
            }
        }
    }

    // Partition p's share of the rows: a stretch of the index, or every partitions-th community's rows.
    private static IEnumerable<(int Start, int Length, int[]? List)> Slices(PopulationIndex.IndexView view, Rows rows, int p, int partitions)
    {
        if (rows.Communities is null)
        {
            var start = (int)((long)view.RowCount * p / partitions);
            var end = (int)((long)view.RowCount * (p + 1) / partitions);
            yield return (start, end - start, null);
            yield break;
        }

        for (var i = p; i < rows.Communities.Length; i += partitions)
        {
            var (list, count) = view.RowArrayOfCommunity(rows.Communities[i]);
            yield return (0, count, list);
        }
    }
}
