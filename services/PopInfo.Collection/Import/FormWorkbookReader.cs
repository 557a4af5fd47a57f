using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ExcelDataReader;
using PopInfo.ServiceDefaults.Problems;
using static PopInfo.Collection.Import.FormCsvRules;

namespace PopInfo.Collection.Import;

/// <summary>
/// Reads one sheet of an Excel workbook (.xlsx) of forms into the same rows, fields and rules as a CSV file
/// (<see cref="FormTableReader"/>; docs/collection-csv.md): the first visible sheet, or the one named. The package
/// is checked first (<see cref="WorkbookPackage"/>: size unpacked, a zip bomb); the sheet is read by ExcelDataReader,
/// which gives each cell as Excel stores it — text, a number, a date (a number in a date format), true/false — so that
/// an identity number Excel made a number is refused and a date serial read as a date (<see cref="FormCellText"/>).
/// Row numbers are the sheet's, as Excel shows them. Formulas are never evaluated: a cell's last computed value is read.
/// </summary>
public static class FormWorkbookReader
{
    /// <summary>The largest workbook read, in bytes (16 MiB, as a CSV file).</summary>
    public const int MaxBytes = FormCsvReader.MaxBytes;

    /// <summary>The most columns a sheet may use: the forms have about thirty, and each row costs its sheet's width.</summary>
    public const int MaxColumns = 256;

    /// <summary>
    /// Code pages (1252, GB18030, …) for the process, once, before the first workbook: ExcelDataReader's configuration asks
    /// for code page 1252 even for an .xlsx, and .NET has it only from the code-pages provider (registering it again is a no-op).
    /// </summary>
    static FormWorkbookReader() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    /// <summary>A zip file, as every .xlsx is: the import reads such a file as a workbook.</summary>
    public static bool IsWorkbook(ReadOnlySpan<byte> file) => file.StartsWith("PK\x03\x04"u8);

    /// <summary>Reads the sheet named <paramref name="sheet"/> (Excel's names ignore case), or the first visible sheet.</summary>
    public static FormCsvFile Read(byte[] workbook, string? sheet = null)
    {
        ArgumentNullException.ThrowIfNull(workbook);
        if (workbook.Length > MaxBytes)
        {
            return Refused(new RuleViolation(FileField, WorkbookFileSize, $"The workbook is larger than {MaxBytes / (1024 * 1024)} MiB."));
        }

        var (facts, problem) = WorkbookPackage.Inspect(workbook);
        if (problem is not null)
        {
            return Refused(problem);
        }

        try
        {
            using var reader = ExcelReaderFactory.CreateOpenXmlReader(new MemoryStream(workbook, writable: false));
            if (!MoveToSheet(reader, sheet?.Trim(), out var sheetProblem))
            {
                return Refused(sheetProblem);
            }

            if (reader.FieldCount > MaxColumns)
            {
                return Refused(new RuleViolation(FileField, WorkbookColumnLimit,
                    $"The sheet uses {reader.FieldCount.ToString(CultureInfo.InvariantCulture)} columns; a sheet of forms uses at most {MaxColumns}. Delete the empty columns to the right of the forms."));
            }

            var source = new FormTableSource("Row", WorkbookRowLimit, Workbook: true, facts!.Date1904);
            // The sheet's name goes into the answer and the audit: not if it breaks the free-text rule.
            var sheetName = TextViolations.Of(FileField, reader.Name) is null ? reader.Name : null;
            return FormTableReader.Read(Rows(reader), source) with { Sheet = sheetName };
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            // The package passed its check, but a part is not what a workbook holds (ExcelDataReader throws many kinds:
            // XML, format, zip, index errors). Nothing of the file is repeated.
            return Refused(new RuleViolation(FileField, WorkbookUnreadable,
                "The workbook cannot be read: a part of it is damaged or not what Excel writes. Open it in Excel and save it again as .xlsx."));
        }
    }

    /// <summary>
    /// Moves to the sheet named, or the first visible one. The workbook's sheet names are listed when the name is not
    /// found, except any that breaks the free-text rule (the answer would carry it).
    /// </summary>
    private static bool MoveToSheet(IExcelDataReader reader, string? name, [NotNullWhen(false)] out RuleViolation? problem)
    {
        problem = null;
        var names = new List<string>();
        do
        {
            var visible = reader.VisibleState == "visible";
            if (name is null ? visible : string.Equals(reader.Name?.Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (visible && reader.Name is { } shown && TextViolations.Of(FileField, shown) is null)
            {
                names.Add(Shown(shown));
            }
        }
        while (reader.NextResult());

        problem = new RuleViolation(FileField, WorkbookSheet, name is null
            ? "The workbook has no visible sheet."
            : $"The workbook has no sheet named '{Shown(name)}'; its sheets are: {string.Join(", ", names.Select(n => $"'{n}'"))}.");
        return false;
    }

    // Names are cut in messages, as values are (Excel's own sheet names have at most 31 characters).
    private static string Shown(string name) => name.Length <= 40 ? name : string.Concat(name.AsSpan(0, 40), "…");

    /// <summary>The sheet's rows with their row numbers (the reader gives an empty row for each row the sheet skips).</summary>
    private static IEnumerable<FormSourceRow> Rows(IExcelDataReader reader)
    {
        while (reader.Read())
        {
            var cells = new FormCell[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = reader.GetValue(i) switch
                {
                    null => FormCell.Empty,
                    string text => FormCell.OfText(text),
                    double number => FormCell.OfNumber(number),
                    DateTime date => FormCell.OfDate(date),
                    bool flag => FormCell.OfBoolean(flag),
                    // A duration format (h:mm) on a number: no form field is a duration; read as the number it holds.
                    TimeSpan time => FormCell.OfNumber(time.TotalDays),
                    var other => FormCell.OfText(Convert.ToString(other, CultureInfo.InvariantCulture) ?? ""),
                };
            }

            yield return new FormSourceRow(reader.Depth + 1, cells);
        }
    }

    private static FormCsvFile Refused(RuleViolation violation) => new([violation], []);
}
