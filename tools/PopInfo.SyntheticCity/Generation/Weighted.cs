namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// A table of items with integer weights, sampled by binary search over the cumulative weights.
/// Integer weights keep every draw exact and identical across machines.
/// </summary>
internal sealed class Weighted<T>
{
    private readonly T[] _items;
    private readonly int[] _cumulative;

    public Weighted(IReadOnlyList<(T Item, int Weight)> entries)
    {
        if (entries.Count == 0)
        {
            throw new ArgumentException("A weighted table needs at least one entry.", nameof(entries));
        }

        _items = new T[entries.Count];
        _cumulative = new int[entries.Count];
        var total = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Weight < 0)
            {
                throw new ArgumentException($"Weight {entries[i].Weight} of entry {i} is negative.", nameof(entries));
            }

            total = checked(total + entries[i].Weight);
            _items[i] = entries[i].Item;
            _cumulative[i] = total;
        }

        if (total == 0)
        {
            throw new ArgumentException("The weights add up to zero.", nameof(entries));
        }

        Total = total;
    }

    public int Total { get; }

    public IReadOnlyList<T> Items => _items;

    public T Sample(CityRandom random)
    {
        var target = random.Next(Total);
        var lo = 0;
        var hi = _cumulative.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_cumulative[mid] > target)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return _items[lo];
    }
}

internal static class Weighted
{
    public static Weighted<T> Of<T>(params (T Item, int Weight)[] entries) => new(entries);
}
