using CsvHelper;
using PopInfo.ServiceDefaults.Problems;
using static PopInfo.Collection.Import.FormCsvRules;

namespace PopInfo.Collection.Import;

/// <summary>
/// Reads a forms CSV file (docs/collection-csv.md) into rows of form data, each with its line number and
/// precise violations. Only what the CSV layer can know is checked — encoding, header, cell counts, quoting,
/// value formats and national codes; the rules of each form type are the forms validator's. Problems are
/// reported as violations, never thrown. The encoding is found by <see cref="CsvEncoding"/> (UTF-8, UTF-16 with a byte
/// order mark, GB18030/GBK); parsing is CsvHelper's (RFC 4180: quoted commas, quotes and line breaks); the header and
/// rows are read by <see cref="FormTableReader"/>, as a workbook's are.
/// </summary>
public static class FormCsvReader
{
    /// <summary>The most rows of forms one file may hold.</summary>
    public const int MaxDataRows = FormTableReader.MaxDataRows;

    /// <summary>The largest file read, in bytes (16 MiB): ten thousand full rows take about a third of it.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

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

        if (csv.Span.StartsWith("PK\x03\x04"u8) || csv.Span.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]))
        {
            // A workbook reaches the workbook reader by its content (FormImportService); this one is an old .xls or a
            // password-protected workbook (both are OLE compound files), or a zip sent as CSV.
            return Refused("The file is a spreadsheet workbook in a form that is not read (an .xls, or a workbook with a password); save it as an .xlsx workbook without a password, or as \"CSV UTF-8\".");
        }

        var text = CsvEncoding.Detect(csv);
        if (text.Problem is { } problem)
        {
            return Refused(problem);
        }

        if (text.Utf8.Span.IndexOf((byte)0) is >= 0 and var nul)
        {
            return Refused($"Line {LineAt(text.Utf8.Span, nul)} holds a NUL byte, which text never does (is the file UTF-16 without a byte order mark?); save it as \"CSV UTF-8\".");
        }

        try
        {
            return ReadRecords(text.Utf8) with { Encoding = text.Encoding };
        }
        catch (CsvFormatException e)
        {
            // Not expected with the recovering options above; reported rather than thrown all the same.
            return new FormCsvFile([new RuleViolation(FileField, Quote, $"The file could not be read as CSV near line {e.LineNumber}.")], []) { Encoding = text.Encoding };
        }
    }

    private static FormCsvFile TooLarge() =>
        new([new RuleViolation(FileField, FileSize, $"The file is larger than {MaxBytes / (1024 * 1024)} MiB.")], []);

    private static FormCsvFile Refused(string problem) => new([new RuleViolation(FileField, FormCsvRules.Encoding, problem)], []);

    private static int LineAt(ReadOnlySpan<byte> bytes, int offset) => bytes[..offset].Count((byte)'\n') + 1;

    private static FormCsvFile ReadRecords(ReadOnlyMemory<byte> content)
    {
        var malformed = new Dictionary<long, CsvMalformedReason>();
        using var reader = CsvReader.Create(content, Options with { OnMalformedRecord = m => malformed.TryAdd(m.LineNumber, m.Reason) });
        return FormTableReader.Read(Records(reader, malformed), FormTableSource.Csv);
    }

    /// <summary>The file's records as rows of text cells, each with its line and its quoting problem.</summary>
    private static IEnumerable<FormSourceRow> Records(CsvReader reader, Dictionary<long, CsvMalformedReason> malformed)
    {
        while (reader.Read())
        {
            var cells = new FormCell[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = FormCell.OfText(reader.GetString(i));
            }

            var quoting = malformed.Remove(reader.LineNumber, out var reason) ? QuotingProblem(reason) : null;
            yield return new FormSourceRow(checked((int)reader.LineNumber), cells, quoting);
        }
    }

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
}
