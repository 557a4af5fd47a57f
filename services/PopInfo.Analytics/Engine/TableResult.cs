namespace PopInfo.Analytics.Engine;

/// <summary>A dimension of an answered table: its name and categories, in the order of the cells.</summary>
public sealed record DimensionHeader(string Name, IReadOnlyList<Category> Categories);

/// <summary>How the figures were protected (docs/analytics.md, "Disclosure control").</summary>
public sealed record ProtectionApplied(string Method, int Threshold, int MaxNoise, double Sigma, string Note)
{
    public static readonly ProtectionApplied None = new("none", 0, 0, 0, "Unprotected: inside the service and its tests only.");
}

/// <summary>
/// A table: <see cref="Cells"/> has one line per combination of the row dimensions' categories (the last dimension
/// varying fastest) and one value per combination of the column dimensions'. Every value, every total and the
/// grand total is protected on its own: totals are not sums of the published cells.
/// </summary>
public sealed record TableResult(
    DateOnly AsOf,
    string Basis,
    Category Region,
    IReadOnlyList<DimensionHeader> Rows,
    IReadOnlyList<DimensionHeader> Columns,
    IReadOnlyList<string> Filters,
    IReadOnlyList<IReadOnlyList<string>> RowKeys,
    IReadOnlyList<IReadOnlyList<string>> ColumnKeys,
    long[][] Cells,
    long[] RowTotals,
    long[] ColumnTotals,
    long Total,
    ProtectionApplied Protection,
    long Watermark);
