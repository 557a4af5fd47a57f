namespace PopInfo.Domain.Regions;

/// <summary>
/// Reads the divisions file (header <c>level,code,name,parent_code</c>). The file uses no quoting and no
/// commas inside fields, so a split on ',' is a complete parser; anything else is rejected rather than
/// guessed at, because a silently misread line would shift every code below it.
/// </summary>
internal static class DivisionsCsv
{
    private const string ExpectedHeader = "level,code,name,parent_code";
    private const int ColumnCount = 4;

    /// <exception cref="InvalidDataException">The header, a column count, a level or a code is not as expected.</exception>
    public static List<Region> Read(TextReader reader)
    {
        var header = reader.ReadLine();
        if (header != ExpectedHeader)
        {
            throw new InvalidDataException($"The divisions file must start with the header '{ExpectedHeader}'.");
        }

        var regions = new List<Region>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Contains('"', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Line {lineNumber}: quoted fields are not supported by this reader.");
            }

            var fields = line.Split(',');
            if (fields.Length != ColumnCount)
            {
                throw new InvalidDataException($"Line {lineNumber}: expected {ColumnCount} columns ({ExpectedHeader}) but found {fields.Length}.");
            }

            var level = ParseLevel(fields[0], lineNumber);
            var code = fields[1];
            var expectedDigits = level == RegionLevel.Street ? 9 : 6;
            if (code.Length != expectedDigits || !IsAsciiDigits(code))
            {
                throw new InvalidDataException($"Line {lineNumber}: a {fields[0]} code must be {expectedDigits} digits, not '{code}'.");
            }

            if (fields[2].Length == 0)
            {
                throw new InvalidDataException($"Line {lineNumber}: the name is empty.");
            }

            if (fields[3].Length == 0 || !IsAsciiDigits(fields[3]))
            {
                throw new InvalidDataException($"Line {lineNumber}: the parent code must be digits, not '{fields[3]}'.");
            }

            regions.Add(new Region(code, level, fields[2], fields[3]));
        }

        return regions;
    }

    // Communities are never in the file: they are generated, so a "community" line is an error too.
    private static RegionLevel ParseLevel(string level, int lineNumber) => level switch
    {
        "city" => RegionLevel.City,
        "district" => RegionLevel.District,
        "street" => RegionLevel.Street,
        _ => throw new InvalidDataException($"Line {lineNumber}: unknown level '{level}' (expected city, district or street)."),
    };

    private static bool IsAsciiDigits(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
