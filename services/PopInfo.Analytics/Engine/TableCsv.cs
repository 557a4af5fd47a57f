using System.Globalization;
using System.Text;
using PopInfo.Domain.Export;

namespace PopInfo.Analytics.Engine;

/// <summary>
/// A table as CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads Chinese labels as the system code
/// page), one column per row dimension, one per column category combination, then the totals; the last line names the
/// protection applied.
/// </summary>
public static class TableCsv
{
    public static byte[] Write(TableResult table)
    {
        var csv = new StringBuilder();
        var header = table.Rows.Select(r => Field(r.Name)).ToList();
        header.AddRange(table.ColumnKeys.Select(keys => Field(string.Join(" / ", keys.Select((k, i) => Label(table.Columns[i], k))))));
        header.Add(Field("合计 total"));
        csv.AppendJoin(',', header).Append("\r\n");
        for (var r = 0; r < table.Cells.Length; r++)
        {
            var line = table.RowKeys[r].Select((k, i) => Field(Label(table.Rows[i], k))).ToList();
            line.AddRange(table.Cells[r].Select(v => v.ToString(CultureInfo.InvariantCulture)));
            line.Add(table.RowTotals[r].ToString(CultureInfo.InvariantCulture));
            csv.AppendJoin(',', line).Append("\r\n");
        }

        var totals = Enumerable.Range(0, Math.Max(1, table.Rows.Count)).Select(i => i == 0 ? Field("合计 total") : "").ToList();
        totals.AddRange(table.ColumnTotals.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        totals.Add(table.Total.ToString(CultureInfo.InvariantCulture));
        csv.AppendJoin(',', totals).Append("\r\n");
        csv.Append(Field($"{table.Region.Label} {table.AsOf:yyyy-MM-dd} ({table.Basis}); {table.Protection.Method}: {table.Protection.Note}")).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static string Label(DimensionHeader dimension, string code) =>
        dimension.Categories.FirstOrDefault(c => c.Code == code) is { } c && c.Label != code ? $"{c.Label}" : code;

    // Quoted when needed; a leading =, +, - or @ is neutralised (the shared rule of every CSV export).
    private static string Field(string value) => CsvCell.Field(value);
}
