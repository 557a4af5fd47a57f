namespace PopInfo.Domain.Export;

/// <summary>One cell of a CSV export meant for spreadsheets (the analytics tables, monitoring's assessments).</summary>
public static class CsvCell
{
    /// <summary>
    /// The value as a CSV field: quoted when it holds a comma, quote or line break; a leading <c>=</c>, <c>+</c>, <c>-</c>
    /// or <c>@</c> is neutralised with an apostrophe, so that a spreadsheet never runs it as a formula.
    /// </summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
