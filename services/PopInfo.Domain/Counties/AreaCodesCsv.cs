using System.Globalization;

namespace PopInfo.Domain.Counties;

/// <summary>
/// Reads the county list as published by the areacodes data set (<c>result.csv</c>, see Counties/README.md): header
/// <c>代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码</c>, no quoting, no commas inside fields.
/// Province-level rows are skipped (an origin or a place of issue is never a whole province). Anything unexpected is
/// rejected with its line rather than guessed at: a misread line would give a wrong name to an identity number.
/// </summary>
internal static class AreaCodesCsv
{
    public const string ExpectedHeader = "代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码";
    private const int ColumnCount = 9;

    // The source writes 直辖 as the second level of a county directly under a province or municipality.
    private const string DirectlyAdministered = "直辖";

    // The source starts in 1981 (the first published list, as of 31 December 1980 or 1981); anything outside is a typo.
    private const int FirstYear = 1980;
    private const int LastYear = 2100;

    /// <exception cref="InvalidDataException">The header, a column count, a code, level, status, year or successor is not as expected.</exception>
    public static List<CountyEntry> Read(TextReader reader)
    {
        // A UTF-8 byte order mark survives when the caller's reader did not strip it (StringReader in tests).
        var header = reader.ReadLine()?.TrimStart('\uFEFF');
        if (header != ExpectedHeader)
        {
            throw new InvalidDataException($"The county list must start with the header '{ExpectedHeader}'.");
        }

        var entries = new List<CountyEntry>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var entry = ReadLine(line, lineNumber);
            if (entry is not null)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    private static CountyEntry? ReadLine(string line, int lineNumber)
    {
        if (line.Contains('"', StringComparison.Ordinal))
        {
            throw Error(lineNumber, "quoted fields are not supported by this reader.");
        }

        var f = line.Split(',');
        if (f.Length != ColumnCount)
        {
            throw Error(lineNumber, $"expected {ColumnCount} columns but found {f.Length}.");
        }

        var code = f[0];
        if (!IsCode(code))
        {
            throw Error(lineNumber, $"a code is six digits, not '{code}'.");
        }

        CountyLevel? level = f[4] switch
        {
            "省级" => null,
            "地级" => CountyLevel.Prefecture,
            "县级" => CountyLevel.County,
            _ => throw Error(lineNumber, $"unknown level '{f[4]}' (expected 省级, 地级 or 县级)."),
        };
        if (level is null)
        {
            return null;
        }

        var status = f[5] switch
        {
            "在用" => CountyStatus.InUse,
            "弃用" => CountyStatus.Abolished,
            "变更" => CountyStatus.Changed,
            _ => throw Error(lineNumber, $"unknown status '{f[5]}' (expected 在用, 弃用 or 变更)."),
        };

        if (f[1].Length == 0 || f[3].Length == 0)
        {
            throw Error(lineNumber, "the province and the name must not be empty.");
        }

        var from = Year(f[6], lineNumber) ?? throw Error(lineNumber, "the year it came into use is missing.");
        var to = Year(f[7], lineNumber);
        if ((status == CountyStatus.InUse) != (to is null))
        {
            throw Error(lineNumber, "an entry in use has no end year, and an ended entry has one.");
        }

        if (to <= from)
        {
            throw Error(lineNumber, $"it ends ({to}) no later than it starts ({from}).");
        }

        var prefecture = f[2].Length == 0 || f[2] == DirectlyAdministered ? null : f[2];
        return new CountyEntry(code, f[3], level.Value, f[1], prefecture, status, from, to, Successors(f[8], lineNumber));
    }

    // "320212[1987];320211": codes separated by ';', each optionally with the year of its own change in brackets.
    private static CountySuccessor[] Successors(string text, int lineNumber)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var parts = text.Split(';');
        var successors = new CountySuccessor[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length == 6 && IsCode(part))
            {
                successors[i] = new CountySuccessor(part, null);
            }
            else if (part.Length == 12 && IsCode(part[..6]) && part[6] == '[' && part[11] == ']')
            {
                successors[i] = new CountySuccessor(part[..6], Year(part[7..11], lineNumber));
            }
            else
            {
                throw Error(lineNumber, $"a new code is six digits, optionally with a year in brackets, not '{part}'.");
            }
        }

        return successors;
    }

    private static int? Year(string text, int lineNumber)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var year = text.Length == 4 && text.All(char.IsAsciiDigit) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
        return year is >= FirstYear and <= LastYear
            ? year
            : throw Error(lineNumber, $"a year is four digits from {FirstYear} to {LastYear}, not '{text}'.");
    }

    private static bool IsCode(string text) => text.Length == 6 && text.All(char.IsAsciiDigit);

    private static InvalidDataException Error(int lineNumber, string message) => new($"County list line {lineNumber}: {message}");
}
