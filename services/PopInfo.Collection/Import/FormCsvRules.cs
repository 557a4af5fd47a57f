namespace PopInfo.Collection.Import;

/// <summary>
/// Stable names of the CSV and workbook readers' rules, as they appear in <c>violations[].rule</c>; listed with their
/// meaning in docs/collection-csv.md. The code-list rules share their names with the registry's.
/// </summary>
public static class FormCsvRules
{
    /// <summary>The field of a violation about the file as a whole.</summary>
    public const string FileField = "file";

    /// <summary>The field of a violation about a row as a whole (its cells or quoting), not one of its values.</summary>
    public const string RowField = "row";

    // The file.
    public const string FileSize = "csv.file-size";
    public const string Encoding = "csv.encoding";
    public const string Empty = "csv.empty";
    public const string NoHeader = "csv.no-header";
    public const string UnknownColumn = "csv.unknown-column";
    public const string DuplicateColumn = "csv.duplicate-column";
    public const string MissingColumn = "csv.missing-column";
    public const string RowLimit = "csv.row-limit";

    // A row.
    public const string ColumnCount = "csv.column-count";
    public const string Quote = "csv.quote";
    public const string FormType = "csv.form-type";
    public const string DateFormat = "csv.date-format";
    public const string WholeNumber = "csv.integer";
    public const string Boolean = "csv.boolean";
    public const string ScientificNotation = "csv.scientific-notation";
    public const string ConflictingValues = "csv.conflicting-values";
    public const string SexCode = "sex.code";
    public const string EthnicityCode = "ethnicity.code";
    public const string MaritalStatusCode = "marital-status.code";
    public const string EducationCode = "education.code";
    public const string RelationshipCode = "relationship.code";

    // A workbook (.xlsx): its rows are read by the rules above; these are the workbook's own.
    public const string WorkbookFileSize = "xlsx.file-size";
    public const string WorkbookUnpackedSize = "xlsx.unpacked-size";
    public const string WorkbookUnreadable = "xlsx.unreadable";
    public const string WorkbookSheet = "xlsx.sheet";
    public const string WorkbookColumnLimit = "xlsx.column-limit";
    public const string WorkbookRowLimit = "xlsx.row-limit";

    /// <summary>A number-as-text column (an identity number…) holds what Excel made a number: digits may be lost, so it is never "fixed".</summary>
    public const string ExcelNumber = "xlsx.excel-number";
}
