using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CsvHelper;
using PopInfo.ServiceDefaults.Problems;
using static PopInfo.Collection.Import.FormCsvRules;

namespace PopInfo.Collection.Import;

/// <summary>
/// Reads a forms CSV file (docs/collection-csv.md) into rows of form data, each with its line number and
/// precise violations. Only what the CSV layer can know is checked — encoding, header, cell counts, quoting,
/// value formats and national codes; the rules of each form type are the forms validator's. Problems are
/// reported as violations, never thrown. Parsing is CsvHelper's (RFC 4180: quoted commas, quotes and line breaks).
/// </summary>
public static class FormCsvReader
{
    /// <summary>The most rows of forms one file may hold.</summary>
    public const int MaxDataRows = 10_000;

    /// <summary>The largest file read, in bytes (16 MiB): ten thousand full rows take about a third of it.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        // Never guessed: a semicolon file then fails on its header instead of being read some other way.
        Separator = ',',
        // The header is read as a record and checked here, so that a file without one can be told apart.
        HasHeader = false,
        TrackLineNumbers = true,
        SkipEmptyLines = true,
        TrimWhitespace = true,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        IncludeValuesInExceptions = false,
    };

    /// <summary>Reads an uploaded file. The stream is read asynchronously to its end (at most <see cref="MaxBytes"/> and one chunk).</summary>
    public static async Task<FormCsvFile> ReadAsync(Stream csv, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);

        using var content = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await csv.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (content.Length + read > MaxBytes)
            {
                return TooLarge();
            }

            content.Write(chunk, 0, read);
        }

        return Read(content.GetBuffer().AsMemory(0, (int)content.Length));
    }

    /// <summary>Reads a file already in memory.</summary>
    public static FormCsvFile Read(ReadOnlyMemory<byte> csv)
    {
        if (csv.Length > MaxBytes)
        {
            return TooLarge();
        }

        if (EncodingProblem(csv.Span) is { } problem)
        {
            return new FormCsvFile([new RuleViolation(FileField, FormCsvRules.Encoding, problem)], []);
        }

        var bom = csv.Span.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        try
        {
            return ReadRecords(csv[bom..]);
        }
        catch (CsvFormatException e)
        {
            // Not expected with the recovering options above; reported rather than thrown all the same.
            return new FormCsvFile([new RuleViolation(FileField, Quote, $"The file could not be read as CSV near line {e.LineNumber}.")], []);
        }
    }

    private static FormCsvFile TooLarge() =>
        new([new RuleViolation(FileField, FileSize, $"The file is larger than {MaxBytes / (1024 * 1024)} MiB.")], []);

    private static string? EncodingProblem(ReadOnlySpan<byte> bytes)
    {
        const string saveAs = "save it as \"CSV UTF-8\"";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return $"The file is UTF-16 (it starts with a UTF-16 byte order mark), not UTF-8; {saveAs}.";
        }

        if (bytes.StartsWith("PK\x03\x04"u8) || bytes.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]))
        {
            return $"The file is a spreadsheet workbook, not CSV; {saveAs}.";
        }

        if (bytes.IndexOf((byte)0) is >= 0 and var nul)
        {
            return $"Line {LineAt(bytes, nul)} holds a NUL byte, which UTF-8 text never does (is the file UTF-16?); {saveAs}.";
        }

        if (!Utf8.IsValid(bytes))
        {
            return $"The file is not UTF-8: line {LineAt(bytes, FirstInvalidUtf8(bytes))} holds bytes that are not UTF-8 (GBK or ANSI, as older spreadsheets save); {saveAs}.";
        }

        return null;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    private static int LineAt(ReadOnlySpan<byte> bytes, int offset) => bytes[..offset].Count((byte)'\n') + 1;

    private static FormCsvFile ReadRecords(ReadOnlyMemory<byte> content)
    {
        var fileViolations = new List<RuleViolation>();
        var rows = new List<FormCsvRow>();
        var malformed = new Dictionary<long, CsvMalformedReason>();
        using var reader = CsvReader.Create(content, Options with { OnMalformedRecord = m => malformed.TryAdd(m.LineNumber, m.Reason) });

        Header? header = null;
        while (reader.Read())
        {
            var line = checked((int)reader.LineNumber);
            var cells = new string[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = reader.GetString(i).Trim();
            }

            CsvMalformedReason? quoting = malformed.Remove(reader.LineNumber, out var reason) ? reason : null;
            if (Array.TrueForAll(cells, c => c.Length == 0))
            {
                // A line of nothing but separators or spaces, as spreadsheets write for an empty row.
                continue;
            }

            if (header is null)
            {
                header = Header.Read(cells, line, quoting, fileViolations);
                if (header is null)
                {
                    return new FormCsvFile(fileViolations, []);
                }

                continue;
            }

            if (rows.Count == MaxDataRows)
            {
                var limit = MaxDataRows.ToString("N0", CultureInfo.InvariantCulture);
                fileViolations.Add(new RuleViolation(FileField, RowLimit,
                    $"The file has more than {limit} rows of forms; split it into files of at most {limit} rows."));
                return new FormCsvFile(fileViolations, []);
            }

            rows.Add(ReadRow(header, cells, line, quoting));
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

    private static FormCsvRow ReadRow(Header header, string[] cells, int line, CsvMalformedReason? quoting)
    {
        var violations = new List<RuleViolation>();
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (quoting is { } reason)
        {
            violations.Add(new RuleViolation(RowField, Quote, QuotingProblem(reason)));
        }

        if (cells.Length != header.Count)
        {
            // The cells cannot be matched to columns, so none of them is read.
            violations.Add(new RuleViolation(RowField, ColumnCount, $"The row has {cells.Length} cells but the header has {header.Count} columns."));
            return new FormCsvRow(line, null, null, data, violations);
        }

        var headerOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var conflicting = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < cells.Length; i++)
        {
            var value = cells[i];
            var column = header.Columns[i];
            if (value.Length == 0)
            {
                continue;
            }

            // Every cell is free text first; a poisoned one is reported and dropped, so that a row kept back
            // for correction stores none of it. Only the note may run over several lines.
            if (TextViolations.Of(column?.Field ?? RowField, value, multiLine: column?.Field == FormCsvColumns.NoteField) is { } poisoned)
            {
                violations.Add(poisoned with { Message = $"{(column is null ? $"Column {i + 1}" : header.Names[i])}: {poisoned.Message}" });
                continue;
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
        if (formType == "migrant-arrival" && data.TryGetValue("reason", out var said) && MigrantReasons.TryGetValue(said, out var reasonCode))
        {
            data["reason"] = reasonCode;
        }

        return new FormCsvRow(line, formType, note, data, violations);
    }

    /// <summary>The usual Chinese words for why a migrant came, and the register's codes for them.</summary>
    private static readonly Dictionary<string, string> MigrantReasons = new(StringComparer.Ordinal)
    {
        ["务工"] = "work", ["工作"] = "work", ["打工"] = "work",
        ["经商"] = "business", ["做生意"] = "business",
        ["学习"] = "study", ["上学"] = "study", ["就学"] = "study", ["培训"] = "study",
        ["投亲"] = "family", ["随迁"] = "family", ["随迁家属"] = "family", ["婚嫁"] = "family",
        ["其他"] = "other", ["其它"] = "other",
    };

    private static string QuotingProblem(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote =>
            "A quote (\") inside a value that does not start with one; quote the whole value and double the quotes inside it (\"\").",
        CsvMalformedReason.TextAfterClosingQuote =>
            "Text follows the closing quote of a quoted value; quote the whole value and double the quotes inside it (\"\").",
        CsvMalformedReason.UnterminatedQuote =>
            "A quoted value that starts on this line is never closed, so the rest of the file was read into it.",
        _ => "The quoting of this row is malformed.",
    };

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
        public static Header? Read(string[] names, int line, CsvMalformedReason? quoting, List<RuleViolation> violations)
        {
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
                    $"Line {line} should be the header naming the columns (表单类型, 公民身份号码, 姓名, … or formType, idNumber, name, …), but none of its {names.Length} cells is a column name."));
                return null;
            }

            if (quoting is { } reason)
            {
                violations.Add(new RuleViolation(FileField, Quote, $"Line {line} (the header): {QuotingProblem(reason)}"));
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
