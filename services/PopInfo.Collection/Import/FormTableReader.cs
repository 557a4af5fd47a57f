using System.Globalization;
using PopInfo.ServiceDefaults.Problems;
using static PopInfo.Collection.Import.FormCsvRules;

namespace PopInfo.Collection.Import;

/// <summary>One row of a forms file as its reader found it: where it starts, its cells, and a CSV quoting problem if any.</summary>
/// <param name="Line">The line (CSV) or the sheet's row number (workbook), 1-based, as the person sees it.</param>
/// <param name="Cells">The row's cells, left to right.</param>
/// <param name="Quoting">For CSV: what is wrong with the row's quoting, or null.</param>
public sealed record FormSourceRow(int Line, FormCell[] Cells, string? Quoting = null);

/// <summary>What differs between the files a table of forms comes in.</summary>
/// <param name="RowWord">How messages name a row's place: "Line" in a CSV file, "Row" in a sheet.</param>
/// <param name="RowLimitRule">The rule a file with too many rows of forms breaks.</param>
/// <param name="Workbook">Cells may be numbers and dates (<see cref="FormCellText"/>); false: every cell is text.</param>
/// <param name="Date1904">The workbook counts date serials from 1904.</param>
public sealed record FormTableSource(string RowWord, string RowLimitRule, bool Workbook, bool Date1904 = false)
{
    public static readonly FormTableSource Csv = new("Line", RowLimit, Workbook: false);
}

/// <summary>
/// Reads a table of forms — the header naming the columns, then one form per row — into <see cref="FormCsvRow"/>s
/// with their violations; written once for CSV files and workbooks, so both answer with the same rows, fields and
/// rules (docs/collection-csv.md). Problems are reported as violations, never thrown.
/// </summary>
public static class FormTableReader
{
    /// <summary>The most rows of forms one file may hold.</summary>
    public const int MaxDataRows = 10_000;

    public static FormCsvFile Read(IEnumerable<FormSourceRow> source, FormTableSource kind)
    {
        var fileViolations = new List<RuleViolation>();
        var rows = new List<FormCsvRow>();
        Header? header = null;
        foreach (var row in source)
        {
            if (Array.TrueForAll(row.Cells, c => c.IsEmpty))
            {
                // A line of nothing but separators or spaces, as spreadsheets write for an empty row.
                continue;
            }

            if (header is null)
            {
                header = Header.Read(row, kind, fileViolations);
                if (header is null)
                {
                    return new FormCsvFile(fileViolations, []);
                }

                continue;
            }

            if (rows.Count == MaxDataRows)
            {
                var limit = MaxDataRows.ToString("N0", CultureInfo.InvariantCulture);
                fileViolations.Add(new RuleViolation(FileField, kind.RowLimitRule,
                    $"The file has more than {limit} rows of forms; split it into files of at most {limit} rows."));
                return new FormCsvFile(fileViolations, []);
            }

            rows.Add(ReadRow(header, row, kind));
        }

        if (header is null)
        {
            fileViolations.Add(new RuleViolation(FileField, Empty, "The file is empty."));
        }
        else if (rows.Count == 0)
        {
            fileViolations.Add(new RuleViolation(FileField, Empty, "The file has a header but no rows of forms."));
        }

        return new FormCsvFile(fileViolations, rows);
    }

    private static FormCsvRow ReadRow(Header header, FormSourceRow row, FormTableSource kind)
    {
        var violations = new List<RuleViolation>();
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (row.Quoting is { } quoting)
        {
            violations.Add(new RuleViolation(RowField, Quote, quoting));
        }

        var cells = row.Cells;
        if (cells.Length != header.Count)
        {
            // The cells cannot be matched to columns, so none of them is read.
            violations.Add(new RuleViolation(RowField, ColumnCount, $"The row has {cells.Length} cells but the header has {header.Count} columns."));
            return new FormCsvRow(row.Line, null, null, data, violations);
        }

        var headerOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var conflicting = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i];
            var column = header.Columns[i];
            if (cell.IsEmpty)
            {
                continue;
            }

            // Every text cell is free text first; a poisoned one is reported and dropped, so that a row kept back
            // for correction stores none of it. Only the note may run over several lines.
            if (cell.Kind == FormCellKind.Text
                && TextViolations.Of(column?.Field ?? RowField, cell.Text, multiLine: column?.Field == FormCsvColumns.NoteField) is { } poisoned)
            {
                violations.Add(poisoned with { Message = $"{(column is null ? $"Column {i + 1}" : header.Names[i])}: {poisoned.Message}" });
                continue;
            }

            var value = cell.Text;
            if (kind.Workbook)
            {
                if (!FormCellText.TryRead(cell, column, header.Names[i], kind.Date1904, out var text, out var refused))
                {
                    violations.Add(refused);
                    continue;
                }

                value = text;
            }

            if (column is null)
            {
                // A refused header is reported once for the file; a value under no header at all, here.
                if (header.Names[i].Length == 0)
                {
                    violations.Add(new RuleViolation(RowField, UnknownColumn, $"Column {i + 1} has no header but holds a value."));
                }

                continue;
            }

            if (conflicting.Contains(column.Field))
            {
                continue;
            }

            if (!FormCsvValues.TryNormalise(column, header.Names[i], value, out var normalised, out var violation))
            {
                violations.Add(violation);
            }
            else if (!data.TryAdd(column.Field, normalised) && data[column.Field] != normalised)
            {
                // Two Chinese headers of one field (迁入日期, 迁出日期) both filled, differently.
                violations.Add(new RuleViolation(column.Field, ConflictingValues,
                    $"{headerOf[column.Field]} and {header.Names[i]} hold different values; fill only one of them."));
                data.Remove(column.Field);
                conflicting.Add(column.Field);
            }
            else
            {
                headerOf.TryAdd(column.Field, header.Names[i]);
            }
        }

        data.Remove(FormCsvColumns.NoteField, out var note);
        string? formType = null;
        if (header.FormTypeHeader is not null)
        {
            if (data.Remove(FormCsvColumns.FormTypeField, out var code))
            {
                formType = code;
            }
            else if (!violations.Exists(v => v.Field == FormCsvColumns.FormTypeField))
            {
                violations.Add(new RuleViolation(FormCsvColumns.FormTypeField, FormCsvRules.FormType, $"{header.FormTypeHeader}: a form type is required."));
            }
        }

        // Collectors write a migrant's reason as they say it; the register keeps the code.
        if (formType == "migrant-arrival" && data.TryGetValue("reason", out var said) && FormCsvColumns.TryFindMigrantReason(said, out var reasonCode))
        {
            data["reason"] = reasonCode;
        }

        return new FormCsvRow(row.Line, formType, note, data, violations);
    }

    /// <summary>The header row: the column of each cell, or null for an empty, unknown or duplicate header.</summary>
    private sealed class Header
    {
        private Header(FormCsvColumn?[] columns, string[] names)
        {
            Columns = columns;
            Names = names;
            var formType = Array.FindIndex(columns, c => c?.Field == FormCsvColumns.FormTypeField);
            FormTypeHeader = formType >= 0 ? names[formType] : null;
        }

        public FormCsvColumn?[] Columns { get; }

        /// <summary>The headers as written (trimmed).</summary>
        public string[] Names { get; }

        public int Count => Columns.Length;

        /// <summary>The formType column's header as written, or null when the file has none.</summary>
        public string? FormTypeHeader { get; }

        /// <summary>Reads the header; null, with a violation, when no cell names a column (the file has no header).</summary>
        public static Header? Read(FormSourceRow row, FormTableSource kind, List<RuleViolation> violations)
        {
            // A number or date in a workbook's header names no column; it is shown as the text it reads as.
            var names = Array.ConvertAll(row.Cells, c => FormCellText.TryRead(c, null, "", false, out var text, out _) ? text : "");
            var columns = new FormCsvColumn?[names.Length];
            var chinese = new bool[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                if (FormCsvColumns.TryFind(names[i], out var column, out var isChinese))
                {
                    columns[i] = column;
                    chinese[i] = isChinese;
                }
            }

            if (Array.TrueForAll(columns, c => c is null))
            {
                // Values are not repeated: a first line of data would hold personal data.
                violations.Add(new RuleViolation(FileField, NoHeader,
                    $"{kind.RowWord} {row.Line} should be the header naming the columns (表单类型, 公民身份号码, 姓名, … or formType, idNumber, name, …), but none of its {names.Length} cells is a column name."));
                return null;
            }

            if (row.Quoting is { } quoting)
            {
                violations.Add(new RuleViolation(FileField, Quote, $"{kind.RowWord} {row.Line} (the header): {quoting}"));
            }

            for (var i = 0; i < names.Length; i++)
            {
                if (names[i].Length == 0)
                {
                    continue;
                }

                // Named by its place, not repeated: the answer would carry the poison.
                if (TextViolations.Of(FileField, names[i]) is { } poisoned)
                {
                    violations.Add(poisoned with { Message = $"Column {i + 1} of the header: {poisoned.Message}" });
                    continue;
                }

                if (columns[i] is not { } column)
                {
                    violations.Add(new RuleViolation(FileField, UnknownColumn, $"Column {i + 1} '{names[i]}' is not a known column."));
                    continue;
                }

                // Several Chinese headers may name one field (迁入日期, 迁出日期); the same header twice, or a field
                // named both in English and in Chinese, is a duplicate.
                for (var j = 0; j < i; j++)
                {
                    if (columns[j]?.Field == column.Field && (!chinese[i] || !chinese[j] || names[i] == names[j]))
                    {
                        violations.Add(new RuleViolation(FileField, DuplicateColumn,
                            $"Columns {j + 1} '{names[j]}' and {i + 1} '{names[i]}' both name {column.Field}."));
                        columns[i] = null;
                        break;
                    }
                }
            }

            var header = new Header(columns, names);
            if (header.FormTypeHeader is null)
            {
                violations.Add(new RuleViolation(FileField, MissingColumn, "The header has no 表单类型 (formType) column."));
            }

            return header;
        }
    }
}
