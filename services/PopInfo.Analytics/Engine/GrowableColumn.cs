namespace PopInfo.Analytics.Engine;

/// <summary>An array that grows by doubling: the columns of the index. Only written under the index's write lock.</summary>
internal struct GrowableColumn<T>(int capacity)
{
    public T[] Items = new T[capacity];

    public void EnsureCapacity(int count)
    {
        if (count > Items.Length)
        {
            Array.Resize(ref Items, Math.Max(count, Items.Length * 2));
        }
    }
}

/// <summary>A growable list of row numbers (the rows of one community).</summary>
internal sealed class RowList
{
    private int[] rows = new int[16];

    public int Count { get; private set; }

    public ReadOnlySpan<int> Rows => rows.AsSpan(0, Count);

    /// <summary>The backing array: valid up to <see cref="Count"/>, only under the index's read lock.</summary>
    public int[] Array => rows;

    public void Add(int row)
    {
        if (Count == rows.Length)
        {
            System.Array.Resize(ref rows, rows.Length * 2);
        }

        rows[Count++] = row;
    }

    public void Clear() => Count = 0;

    public void Remove(int row)
    {
        var at = System.Array.IndexOf(rows, row, 0, Count);
        if (at >= 0)
        {
            System.Array.Copy(rows, at + 1, rows, at, Count - at - 1);
            Count--;
        }
    }
}
