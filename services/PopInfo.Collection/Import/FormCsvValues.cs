using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using PopInfo.Domain.Codes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Import;

/// <summary>Checks one cell against the format of its column and normalises it (男 → 1, 汉族 → 01, 是 → true, 2024/3/5 → 2024-03-05).</summary>
internal static partial class FormCsvValues
{
    // Year first is unambiguous; the slashed form is what a Chinese-locale spreadsheet writes when it saves a date cell.
    private static readonly string[] DateFormats = ["yyyy-M-d", "yyyy/M/d"];

    private static readonly FrozenDictionary<string, string> Sexes = new Dictionary<string, string>
    {
        [SexCodes.Male] = SexCodes.Male,
        ["男"] = SexCodes.Male,
        ["男性"] = SexCodes.Male,
        [SexCodes.Female] = SexCodes.Female,
        ["女"] = SexCodes.Female,
        ["女性"] = SexCodes.Female,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, bool> Booleans = new Dictionary<string, bool>
    {
        ["是"] = true,
        ["true"] = true,
        ["否"] = false,
        ["false"] = false,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    // Reference keys: each column holds one of NationalCodes' lists.
    private static readonly FrozenDictionary<CodeList, FrozenDictionary<string, string>> CodesByName =
        FormCsvColumns.All.Where(c => c.Codes is not null).Select(c => c.Codes!).Distinct()
            .ToFrozenDictionary(list => list, NamesOf);

    /// <summary>
    /// Checks and normalises a non-empty, trimmed cell of <paramref name="column"/>; the violation's message
    /// names the column by <paramref name="header"/>, as written in the file.
    /// </summary>
    public static bool TryNormalise(
        FormCsvColumn column,
        string header,
        string value,
        [NotNullWhen(true)] out string? normalised,
        [NotNullWhen(false)] out RuleViolation? violation)
    {
        normalised = column.Kind switch
        {
            FormCsvValueKind.Text => value,
            FormCsvValueKind.DigitText => ScientificNotation().IsMatch(value) ? null : value,
            FormCsvValueKind.Date => Date(value),
            FormCsvValueKind.WholeNumber => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? number.ToString(CultureInfo.InvariantCulture)
                : null,
            FormCsvValueKind.Boolean => Booleans.TryGetValue(value, out var flag) ? (flag ? "true" : "false") : null,
            FormCsvValueKind.FormType => FormCsvColumns.TryFindFormType(value, out var code) ? code : null,
            FormCsvValueKind.Sex => Sexes.GetValueOrDefault(value),
            FormCsvValueKind.Code => Code(column.Codes!, value),
            _ => throw new InvalidOperationException($"No reading for {column.Kind}."),
        };

        violation = normalised is null ? Violation(column, header, value) : null;
        return normalised is not null;
    }

    private static string? Date(string value) =>
        DateOnly.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;

    private static string? Code(CodeList list, string value)
    {
        if (list.Contains(value))
        {
            return value;
        }

        // A spreadsheet that took the column for numbers drops the leading zero: 1 was 01.
        if (value.Length == 1 && char.IsAsciiDigit(value[0]) && list.Contains("0" + value))
        {
            return "0" + value;
        }

        return CodesByName[list].GetValueOrDefault(value);
    }

    // The standard's Chinese names; for ethnicity also the name without 族 (汉 for 汉族), as many paper forms write it.
    private static FrozenDictionary<string, string> NamesOf(CodeList list)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in list.Entries)
        {
            byName.TryAdd(entry.ChineseName, entry.Code);
        }

        if (ReferenceEquals(list, NationalCodes.Ethnicity))
        {
            foreach (var entry in list.Entries.Where(e => e.ChineseName.Length >= 2 && e.ChineseName.EndsWith('族')))
            {
                byName.TryAdd(entry.ChineseName[..^1], entry.Code);
            }
        }

        return byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static RuleViolation Violation(FormCsvColumn column, string header, string value)
    {
        var shown = Shown(value);
        return column.Kind switch
        {
            FormCsvValueKind.DigitText => new(column.Field, FormCsvRules.ScientificNotation,
                $"{header}: '{shown}' is a number in scientific notation, so a spreadsheet has lost its digits; format the column as text and enter it again."),
            FormCsvValueKind.Date => new(column.Field, FormCsvRules.DateFormat, DatePattern().IsMatch(value)
                ? $"{header}: '{shown}' is not a real calendar date."
                : $"{header}: '{shown}' is not a date; write it as yyyy-MM-dd, e.g. 2024-03-15."),
            FormCsvValueKind.WholeNumber => new(column.Field, FormCsvRules.WholeNumber,
                $"{header}: '{shown}' is not a whole number."),
            FormCsvValueKind.Boolean => new(column.Field, FormCsvRules.Boolean,
                $"{header}: '{shown}' is not 是 or 否 (true or false)."),
            FormCsvValueKind.FormType => new(column.Field, FormCsvRules.FormType,
                $"{header}: '{shown}' is not a form type; write one of {string.Join(", ", FormCsvColumns.FormTypes.Select(t => t.Key))} or its Chinese name (出生, 迁入, …)."),
            FormCsvValueKind.Sex => new(column.Field, FormCsvRules.SexCode,
                $"{header}: '{shown}' is not a sex of GB/T 2261.1; write 1 or 男 (male), 2 or 女 (female)."),
            FormCsvValueKind.Code => new(column.Field, column.CodeRule!,
                $"{header}: '{shown}' is not a code or name of {column.Codes!.Standard}, such as {column.Codes.Entries[0].Code} or {column.Codes.Entries[0].ChineseName}."),
            _ => throw new InvalidOperationException($"{column.Kind} values are never refused."),
        };
    }

    // Long cells are cut in messages: a message names the value, it need not repeat a paragraph.
    private static string Shown(string value) => value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "…");

    [GeneratedRegex(@"^[0-9](\.[0-9]+)?[eE]\+[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ScientificNotation();

    [GeneratedRegex(@"^[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();
}
