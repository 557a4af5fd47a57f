using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace PopInfo.UnitTests.Data.SqlServer;

/// <summary>
/// The things SQL Server writes differently — paging, upsert, returned values, row locks, text concatenation, a uuid's
/// text, a substring — are asked of the dialect (<c>Limit</c>, <c>Upsert</c>, <c>Output</c>/<c>Returning</c>,
/// <c>UpdateLockHint</c>/<c>ForUpdate</c>, <c>Concat</c>, <c>UuidText</c>, <c>Substring</c>), and no caller branches on
/// which dialect it has: the services' sources hold no <c>LIMIT n</c>, <c>ON CONFLICT</c>, <c>RETURNING</c>,
/// <c>FOR UPDATE</c>, <c>'…' ||</c>, <c>AS text)</c>, <c>substr(</c> or <c>is PostgreSqlDialect</c> outside the dialects and the migrator. The files
/// still doing so are listed with how many such lines they hold; the list only shrinks.
/// </summary>
public sealed partial class DialectSeamTests
{
    // Where a product is named on purpose: the dialects themselves, and the migrator (PostgreSQL's roles, SQL Server's database).
    private static readonly string[] DialectFiles =
    [
        "PopInfo.ServiceDefaults/Data/SqlDialect.cs", "PopInfo.ServiceDefaults/Data/PostgreSqlDialect.cs",
        "PopInfo.ServiceDefaults/Data/SqliteDialect.cs", "PopInfo.ServiceDefaults/Data/SqlServerDialect.cs",
        "PopInfo.ServiceDefaults/Data/DatabaseMigrator.cs",
    ];

    /// <summary>Files that still write a product's form themselves, and how many lines (none left: the list may only shrink).</summary>
    private static readonly Dictionary<string, int> KnownExceptions = new(StringComparer.Ordinal)
    {
    };

    [Fact]
    public void Paging_upserts_returned_values_and_row_locks_are_asked_of_the_dialect()
    {
        var found = ProductForms();
        var counts = found.GroupBy(f => f.File).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var wrong = counts.Where(c => !KnownExceptions.TryGetValue(c.Key, out var known) || c.Value > known).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var fewer = KnownExceptions.Where(k => counts.GetValueOrDefault(k.Key) < k.Value).Select(k => $"{k.Key} ({counts.GetValueOrDefault(k.Key)} now)").ToList();

        Assert.True(wrong.Count == 0 && fewer.Count == 0,
            $"""
            Ask the dialect (Limit, Upsert, Output/Returning, UpdateLockHint/ForUpdate, Concat, UuidText, Substring) instead of writing a product's form:
            {string.Join(Environment.NewLine, found.Where(f => wrong.Contains(f.File)).Select(f => $"  {f.File}: {f.Line}"))}
            Known exceptions with fewer such lines now (lower or remove them in KnownExceptions): {(fewer.Count == 0 ? "none" : string.Join(", ", fewer))}
            """);
    }

    /// <summary>The control of the rule above: it does see a product's form where one is (the PostgreSQL dialect's own).</summary>
    [Fact]
    public void The_rule_sees_a_products_form()
    {
        var postgres = File.ReadAllLines(Path.Combine(ServicesFolder(), "PopInfo.ServiceDefaults/Data/PostgreSqlDialect.cs"));

        Assert.Contains(postgres, line => ProductForm().IsMatch(line));
    }

    /// <summary>The control of the forms added later: the default dialect writes a uuid's text and a substring the PostgreSQL and SQLite way.</summary>
    [Fact]
    public void The_rule_sees_a_uuids_text_and_a_substring_in_the_dialect()
    {
        var dialect = File.ReadAllLines(Path.Combine(ServicesFolder(), "PopInfo.ServiceDefaults/Data/SqlDialect.cs"))
            .Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)).ToList();

        Assert.Contains(dialect, line => line.Contains("AS text)", StringComparison.Ordinal) && ProductForm().IsMatch(line));
        Assert.Contains(dialect, line => line.Contains("substr(", StringComparison.Ordinal) && ProductForm().IsMatch(line));
    }

    /// <summary>The control for each form, on the lines the audit searches held before they asked the dialect (and a C# or that is not one).</summary>
    [Theory]
    [InlineData("'dept-' || x.department_code AS client, x.department_code AS unit, 'delivery.' || x.event_type AS action", true)]
    [InlineData("{source} AS client, NULL AS unit, 'change.' || c.change_type AS action, NULL AS target", true)]
    [InlineData("AND (a.target IN (SELECT CAST(f.id AS text) FROM forms f WHERE f.person_id = @personId", true)]
    [InlineData("CASE WHEN a.client_id LIKE 'dept-%' THEN substr(a.client_id, 6) END AS unit", true)]
    [InlineData("SELECT id FROM t ORDER BY id LIMIT @limit", true)]
    [InlineData("if (a is null || b.Length == 0)", false)]
    [InlineData("Code is \"SQLITE_MISMATCH\" or \"SQLITE_TOOBIG\" || Other(Code)", false)]
    public void The_rule_tells_a_products_form_from_other_text(string line, bool isProductForm) =>
        Assert.Equal(isProductForm, ProductForm().IsMatch(line));

    private static List<(string File, string Line)> ProductForms()
    {
        var services = ServicesFolder();
        var found = new List<(string, string)>();
        foreach (var path in Directory.EnumerateFiles(services, "*.cs", SearchOption.AllDirectories))
        {
            var file = Path.GetRelativePath(services, path).Replace('\\', '/');
            if (file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal) || DialectFiles.Contains(file))
            {
                continue;
            }

            found.AddRange(File.ReadLines(path)
                .Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal) && ProductForm().IsMatch(line))
                .Select(line => (file, line.Trim())));
        }

        return found;
    }

    // LIMIT followed by a parameter, a number or an interpolation; the upsert, returning and lock clauses; || beside a
    // quoted text (a C# || is not beside a char: none in the sources); a cast to text; substr; a type test on a dialect.
    [GeneratedRegex(@"\bLIMIT\s+[@\d{]|\bON CONFLICT\b|\bRETURNING\s+\w|\bFOR UPDATE\b|'\s*\|\||\|\|\s*'|\bAS\s+(?i:text)\s*\)|\b(?i:substr)\(|\bis\s+(not\s+)?(PostgreSql|Sqlite|SqlServer)Dialect\b")]
    private static partial Regex ProductForm();

    private static string ServicesFolder([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "..", "services"));
}
