using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Import;

/// <summary>What a cell holds: text (every CSV cell, a workbook's text cells), or a workbook's number, date or true/false.</summary>
public enum FormCellKind
{
    Text,
    Number,
    Date,
    Boolean,
}

/// <summary>One cell of a forms file as its reader found it, before it is read as its column's kind.</summary>
public readonly record struct FormCell(FormCellKind Kind, string Text, double Number = 0, DateTime Date = default, bool Flag = false)
{
    public static readonly FormCell Empty = new(FormCellKind.Text, "");

    public static FormCell OfText(string text) => new(FormCellKind.Text, text.Trim());

    public static FormCell OfNumber(double number) => new(FormCellKind.Number, "", number);

    public static FormCell OfDate(DateTime date) => new(FormCellKind.Date, "", Date: date);

    public static FormCell OfBoolean(bool flag) => new(FormCellKind.Boolean, "", Flag: flag);

    public bool IsEmpty => Kind == FormCellKind.Text && Text.Length == 0;
}

/// <summary>
/// A workbook cell as the text a CSV cell would hold, for the same value rules (<see cref="FormCsvValues"/>). Two
/// things only a workbook can do are decided here: a number (or what Excel shows of one, <c>3.20213E+17</c>) in a
/// number-as-text column is refused as <see cref="FormCsvRules.ExcelNumber"/> — Excel keeps 15 digits and no leading
/// zeros, so the digits may be gone and are never guessed back; and a number in a date column is an Excel date serial.
/// </summary>
public static partial class FormCellText
{
    /// <summary>Above Excel's last day, 9999-12-31 (serial 2,958,465): such a number is no date.</summary>
    private const double MaxSerial = 2_958_466;

    /// <summary>
    /// The cell's text for <paramref name="column"/> (null: a cell under no known header), or the violation that
    /// refuses it; <paramref name="header"/> names the column in messages. <paramref name="date1904"/>: the workbook
    /// counts its serials from 1904 (old Mac Excel), not 1900.
    /// </summary>
    public static bool TryRead(FormCell cell, FormCsvColumn? column, string header, bool date1904,
        [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out RuleViolation? violation)
    {
        violation = null;
        var kind = column?.Kind;
        text = cell.Kind switch
        {
            FormCellKind.Text when kind == FormCsvValueKind.DigitText && ExcelShownNumber().IsMatch(cell.Text) => null,
            FormCellKind.Text => cell.Text,
            FormCellKind.Number or FormCellKind.Date when kind == FormCsvValueKind.DigitText => null,
            FormCellKind.Number when kind == FormCsvValueKind.Date => SerialDate(cell.Number, date1904),
            FormCellKind.Number => cell.Number.ToString("0.###############", CultureInfo.InvariantCulture),
            FormCellKind.Date => cell.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            FormCellKind.Boolean => cell.Flag ? "true" : "false",
            _ => throw new InvalidOperationException($"No reading for a {cell.Kind} cell."),
        };
        if (text is not null)
        {
            return true;
        }

        // The value is not repeated: it is most likely an identity number, with digits lost.
        violation = kind == FormCsvValueKind.Date
            ? new RuleViolation(column!.Field, FormCsvRules.DateFormat,
                $"{header}: the number {cell.Number.ToString(CultureInfo.InvariantCulture)} is not a date Excel knows; write the date as yyyy-MM-dd, e.g. 2024-03-15.")
            : new RuleViolation(column!.Field, FormCsvRules.ExcelNumber,
                $"{header}: Excel holds this value as a number, not as text, so digits (and leading zeros) may have been lost; format the column as text (文本) and enter the value again.");
        return false;
    }

    /// <summary>
    /// An Excel date serial as yyyy-MM-dd, or null when it is no day Excel shows: below 1, past 9999-12-31, or 60 in the
    /// 1900 system (Excel's 1900-02-29, a day that never was). Serials before it count from 1899-12-31, later ones from
    /// 1899-12-30 (Lotus' leap-year error that Excel keeps); in the 1904 system 0 is 1904-01-01. A time of day is dropped.
    /// </summary>
    public static string? SerialDate(double serial, bool date1904)
    {
        if (double.IsNaN(serial) || serial < 0 || serial > MaxSerial)
        {
            return null;
        }

        var days = (int)Math.Floor(serial);
        if (!date1904 && (days < 1 || days == 60))
        {
            return null;
        }

        var epoch = date1904 ? new DateOnly(1904, 1, 1) : days < 60 ? new DateOnly(1899, 12, 31) : new DateOnly(1899, 12, 30);
        return epoch.DayNumber + days > DateOnly.MaxValue.DayNumber
            ? null
            : DateOnly.FromDayNumber(epoch.DayNumber + days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>What Excel shows of a long number in a narrow or General cell, saved as text: 3.20213E+17, 3.2E17.</summary>
    [GeneratedRegex(@"^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ExcelShownNumber();
}
