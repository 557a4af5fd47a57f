using System.Text.RegularExpressions;

namespace PopInfo.IntegrationTests.Security;

/// <summary>One row of the table in <c>docs/security.md</c>, "Authorisation matrix": an endpoint and who may call it.</summary>
/// <param name="Line">The row's line in the document (1-based), for messages.</param>
/// <param name="Port">The local port the endpoint answers on, or <c>any</c> (no port of its own: every port).</param>
/// <param name="Service">The service of that port (<c>host</c>: the start page's; <c>every</c> for <c>any</c>).</param>
/// <param name="Methods">HTTP methods as <see cref="AuthorisationMatrix.MethodsText"/> writes them; <c>*</c> for every method.</param>
/// <param name="Route">The route template exactly as the host's endpoint data source has it.</param>
/// <param name="Who">The terms of the closed vocabulary, any one of which admits a caller.</param>
public sealed record MatrixRow(int Line, string Port, string Service, string Methods, string Route, IReadOnlyList<string> Who)
{
    public string Key => AuthorisationMatrix.Key(Port, Methods, Route);
}

/// <summary>Reads the authorisation matrix: the one table under its heading in <c>docs/security.md</c>.</summary>
public static partial class AuthorisationMatrix
{
    public const string Heading = "## Authorisation matrix";

    public static string Key(string port, string methods, string route) => $"{port} {methods} {route}";

    /// <summary>Methods sorted and comma-separated (<c>GET, POST</c>); none means every method, written <c>*</c>.</summary>
    public static string MethodsText(IEnumerable<string>? methods) =>
        methods?.ToList() is { Count: > 0 } list ? string.Join(", ", list.Order(StringComparer.Ordinal)) : "*";

    public static IReadOnlyList<MatrixRow> Read(string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.FindIndex(l => l.Trim() == Heading);
        if (start < 0)
        {
            throw new InvalidDataException($"docs/security.md has no '{Heading}' section.");
        }

        var end = lines.FindIndex(start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        var section = Enumerable.Range(start + 1, (end < 0 ? lines.Count : end) - start - 1).ToList();
        var tables = section.Where(i => lines[i].StartsWith('|') && !lines[i - 1].StartsWith('|')).ToList();
        if (tables.Count != 1)
        {
            throw new InvalidDataException($"'{Heading}' holds {tables.Count} tables; it holds one.");
        }

        var header = Cells(lines[tables[0]]);
        string[] expected = ["port", "service", "method", "route", "who may call"];
        if (!header.SequenceEqual(expected))
        {
            throw new InvalidDataException($"The matrix's columns are {string.Join(" | ", header)}; they are {string.Join(" | ", expected)}.");
        }

        var rows = new List<MatrixRow>();
        for (var i = tables[0] + 2; i < lines.Count && lines[i].StartsWith('|'); i++)
        {
            var cells = Cells(lines[i]);
            if (cells.Count != expected.Length)
            {
                throw new InvalidDataException($"docs/security.md line {i + 1}: {cells.Count} cells, not {expected.Length}.");
            }

            var who = cells[4].Split(" or ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim('`')).ToList();
            rows.Add(new MatrixRow(i + 1, cells[0], cells[1], cells[2], cells[3].Trim('`'), who));
        }

        return rows;
    }

    /// <summary>The cells of a table line: split at each <c>|</c> not escaped as <c>\|</c>, which stands for a <c>|</c> inside a cell.</summary>
    private static List<string> Cells(string line) =>
        CellSeparator().Split(line.Trim().Trim('|')).Select(c => c.Replace("\\|", "|", StringComparison.Ordinal).Trim()).ToList();

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex CellSeparator();
}
