using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace PopInfo.Testing;

/// <summary>
/// Builds .xlsx workbooks for the import's tests, cell by cell as Excel stores them: a string is a shared string, a
/// number (double, int, long) a number in the General format, a <see cref="DateOnly"/> a date serial in a date format
/// (as Excel stores a typed date), a bool a boolean. Rows are numbered as given, so a test can leave rows out. Also
/// linked into the unit tests (one source file).
/// </summary>
public sealed class TestWorkbook
{
    private readonly List<(string Name, bool Hidden, List<(uint Row, object?[] Cells)> Rows)> sheets = [];

    /// <summary>Starts a new sheet; the rows that follow are its rows.</summary>
    public TestWorkbook Sheet(string name, bool hidden = false)
    {
        sheets.Add((name, hidden, []));
        return this;
    }

    /// <summary>A row at the sheet's row number <paramref name="row"/> (1-based); null cells are left empty.</summary>
    public TestWorkbook Row(uint row, params object?[] cells)
    {
        if (sheets.Count == 0)
        {
            Sheet("Sheet1");
        }

        sheets[^1].Rows.Add((row, cells));
        return this;
    }

    /// <summary>The next row after the last one of the sheet.</summary>
    public TestWorkbook Next(params object?[] cells) =>
        Row(sheets.Count == 0 || sheets[^1].Rows.Count == 0 ? 1 : sheets[^1].Rows[^1].Row + 1, cells);

    /// <summary>An Excel date serial (1900 system) of a day.</summary>
    public static double Serial(DateOnly day) => day.DayNumber - new DateOnly(1899, 12, 30).DayNumber;

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
            var strings = new List<string>();
            var sheetElements = new Sheets();
            uint id = 1;
            foreach (var (name, hidden, rows) in sheets)
            {
                var part = workbookPart.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                foreach (var (row, cells) in rows)
                {
                    var element = new Row { RowIndex = row };
                    for (var c = 0; c < cells.Length; c++)
                    {
                        if (cells[c] is { } value)
                        {
                            element.Append(CellOf(value, Column(c) + row.ToString(CultureInfo.InvariantCulture), strings));
                        }
                    }

                    data.Append(element);
                }

                part.Worksheet = new Worksheet(data);
                var sheet = new Sheet { Name = name, SheetId = id++, Id = workbookPart.GetIdOfPart(part) };
                if (hidden)
                {
                    sheet.State = SheetStateValues.Hidden;
                }

                sheetElements.Append(sheet);
            }

            workbookPart.AddNewPart<SharedStringTablePart>().SharedStringTable =
                new SharedStringTable(strings.Select(s => new SharedStringItem(new Text(s) { Space = SpaceProcessingModeValues.Preserve })))
                {
                    Count = (uint)strings.Count,
                    UniqueCount = (uint)strings.Count,
                };
            workbookPart.Workbook = new Workbook(sheetElements);
        }

        return stream.ToArray();
    }

    private static Cell CellOf(object value, string reference, List<string> strings) => value switch
    {
        string text => new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(Index(strings, text)) },
        DateOnly day => new Cell { CellReference = reference, StyleIndex = 1, CellValue = new CellValue(Serial(day)) },
        bool flag => new Cell { CellReference = reference, DataType = CellValues.Boolean, CellValue = new CellValue(flag ? "1" : "0") },
        double number => new Cell { CellReference = reference, CellValue = new CellValue(number) },
        long number => new Cell { CellReference = reference, CellValue = new CellValue((double)number) },
        int number => new Cell { CellReference = reference, CellValue = new CellValue(number) },
        _ => throw new ArgumentException($"No cell for a {value.GetType().Name}."),
    };

    private static int Index(List<string> strings, string text)
    {
        strings.Add(text);
        return strings.Count - 1;
    }

    private static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>Style 0: General; 1: Excel's built-in date format 14; 2: text ("@").</summary>
    private static Stylesheet Styles() => new(
        new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" })) { Count = 1 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
        new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
            new CellFormat { NumberFormatId = 14, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 49, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true }) { Count = 3 },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
}
