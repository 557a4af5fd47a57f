using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Import;

/// <summary>
/// What <see cref="FormCsvReader"/> or <see cref="FormWorkbookReader"/> made of an uploaded file. A file with any
/// <see cref="FileViolations"/> is refused whole; its rows are still listed where the header could be
/// understood, so that one upload shows every problem. Rows are in file order.
/// </summary>
public sealed record FormCsvFile(IReadOnlyList<RuleViolation> FileViolations, IReadOnlyList<FormCsvRow> Rows)
{
    /// <summary>A CSV file's encoding as <see cref="CsvEncoding"/> names it (<c>utf-8</c>, <c>gb18030</c>, …); null for a workbook or an unreadable file.</summary>
    public string? Encoding { get; init; }

    /// <summary>A workbook's sheet that was read; null for CSV.</summary>
    public string? Sheet { get; init; }

    /// <summary>True when neither the file nor any row broke a CSV rule.</summary>
    public bool IsClean => FileViolations.Count == 0 && Rows.All(r => r.Violations.Count == 0);
}

/// <summary>
/// One row of forms data as the CSV layer understands it; the business rules of each form type are
/// checked later, by the forms validator.
/// </summary>
/// <param name="Line">The 1-based line of the file where the row starts (the header is line 1 unless blank lines precede it).</param>
/// <param name="FormType">The form type code (<c>birth</c>, <c>move-in</c>, …), or null when the cell is empty or not a form type.</param>
/// <param name="Note">The collector's note (备注), or null; like the form type it is not a data field.</param>
/// <param name="Data">
/// The non-empty fields other than <c>formType</c> and <c>note</c>, by camelCase field name, trimmed and normalised
/// (男/女 → 1/2, code names → codes, 是/否 → true/false, dates → yyyy-MM-dd). A value that breaks a CSV rule
/// is left out; the row carries the violation instead.
/// </param>
/// <param name="Violations">The row's CSV violations: field is the camelCase field name, or <c>row</c> for the row as a whole.</param>
public sealed record FormCsvRow(int Line, string? FormType, string? Note, Dictionary<string, string> Data, IReadOnlyList<RuleViolation> Violations);
