using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace PopInfo.Collection.Workbooks;

/// <summary>
/// What the desk's workbooks (the import template, the day's export) share: one small stylesheet and cells written as
/// plain strings. The cell formats are indexes into the stylesheet's <c>cellXfs</c>, in this order.
/// </summary>
internal static class WorkbookParts
{
    public const uint DefaultStyle = 0;

    /// <summary>Excel's text format ("@", built-in number format 49): what is typed stays as typed, 0 and all.</summary>
    public const uint TextStyle = 1;

    /// <summary>A date shown yyyy-mm-dd; Excel stores a date typed there as a date serial, which the import reads as the date.</summary>
    public const uint DateStyle = 2;

    public const uint HeaderStyle = 3;

    /// <summary>A header of a column the form requires: bold on light yellow.</summary>
    public const uint RequiredHeaderStyle = 4;

    /// <summary>Excel's built-in number format "@".</summary>
    public const uint TextNumberFormat = 49;

    private const uint DateNumberFormat = 164;

    public static Stylesheet Stylesheet() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = DateNumberFormat, FormatCode = "yyyy-mm-dd" }) { Count = 1 },
        new Fonts(Font(bold: false), Font(bold: true)) { Count = 2 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFFFF2CC" }) { PatternType = PatternValues.Solid })) { Count = 3 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
        new CellFormats(
            Format(0, font: 0, fill: 0),
            Format(TextNumberFormat, font: 0, fill: 0),
            Format(DateNumberFormat, font: 0, fill: 0),
            Format(TextNumberFormat, font: 1, fill: 0),
            Format(TextNumberFormat, font: 1, fill: 2)) { Count = 5 },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });

    private static Font Font(bool bold)
    {
        var font = new Font();
        if (bold)
        {
            font.Append(new Bold());
        }

        font.Append(new FontSize { Val = 11 }, new FontName { Val = "等线" });
        return font;
    }

    private static CellFormat Format(uint numberFormat, uint font, uint fill) => new()
    {
        NumberFormatId = numberFormat,
        FontId = font,
        FillId = fill,
        BorderId = 0,
        FormatId = 0,
        ApplyNumberFormat = numberFormat != 0,
        ApplyFont = font != 0,
        ApplyFill = fill != 0,
    };

    /// <summary>
    /// A cell holding <paramref name="text"/> as a string (an inline string): Excel shows it as written and never runs
    /// it as a formula, whatever it begins with.
    /// </summary>
    public static Cell Text(int column, uint row, string text, uint style = TextStyle) => new()
    {
        CellReference = Reference(column, row),
        DataType = CellValues.InlineString,
        StyleIndex = style,
        InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }),
    };

    /// <summary>A cell's reference, A1 style; <paramref name="column"/> is 0-based.</summary>
    public static string Reference(int column, uint row) => ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);

    /// <summary>A column's letters (0 → A, 25 → Z, 26 → AA).</summary>
    public static string ColumnName(int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        var name = "";
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>The header row stays in view while the rows scroll.</summary>
    public static SheetViews FrozenHeader() => new(new SheetView(
        new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
        new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
    { WorkbookViewId = 0 });
}
