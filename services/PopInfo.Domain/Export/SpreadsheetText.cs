namespace PopInfo.Domain.Export;

/// <summary>
/// Text bound for a spreadsheet cell, made safe from formula injection as OWASP's "CSV Injection" page says: a cell
/// that begins with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return could be run by a spreadsheet as
/// a formula (once edited, or after the sheet is saved as CSV and opened again), so it is prefixed with an apostrophe —
/// shown, and kept, as the text it is. Used for every text cell of the desk's .xlsx export.
/// </summary>
public static class SpreadsheetText
{
    /// <summary>True when the value begins with a character a spreadsheet may take for the start of a formula.</summary>
    public static bool StartsLikeFormula(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
    }

    /// <summary>The value as a cell's text: prefixed with an apostrophe when it begins like a formula, else unchanged.</summary>
    public static string Neutralise(string value) => StartsLikeFormula(value) ? "'" + value : value;
}
