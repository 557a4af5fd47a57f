using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace PopInfo.UnitTests.Data.SqlServer;

/// <summary>
/// T-SQL without a server: parses a script with ScriptDom's SQL Server 2022 parser (TSql160Parser), writes it back in
/// one normal form (Sql160ScriptGenerator: its keywords, spacing and line breaks, whatever the source's), and compares
/// that with a golden file under <c>Golden/</c> beside this file. <c>POPINFO_UPDATE_GOLDEN=1</c> writes the golden files
/// instead (then review the diff and commit it): docs/testing.md, "SQL Server".
/// </summary>
internal static partial class TSql
{
    public const string UpdateGoldenVariable = "POPINFO_UPDATE_GOLDEN";

    /// <summary>The parse errors of <paramref name="script"/>, each as "line:column message"; empty when it parses.</summary>
    public static IReadOnlyList<string> Errors(string script, out TSqlFragment fragment)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(script);
        fragment = parser.Parse(reader, out var errors);
        return [.. errors.Select(e => $"{e.Line}:{e.Column} {e.Message}")];
    }

    /// <summary>The script as ScriptDom writes it back: the same statements, one layout.</summary>
    public static string Normalised(TSqlFragment fragment)
    {
        var generator = new Sql160ScriptGenerator(new SqlScriptGeneratorOptions { KeywordCasing = KeywordCasing.Uppercase, IncludeSemicolons = true });
        generator.GenerateScript(fragment, out var script);
        return script.ReplaceLineEndings("\n").TrimEnd() + "\n";
    }

    /// <summary>
    /// A statement as SQL Server receives it from Dapper: a list parameter written <c>IN @ids</c> (the dialect's
    /// <c>In</c>) is expanded into <c>IN (@ids1, @ids2)</c> before it is sent.
    /// </summary>
    public static string AsSent(string statement) => ListParameter().Replace(statement, m => $"IN (@{m.Groups[1].Value}1, @{m.Groups[1].Value}2)");

    [GeneratedRegex(@"IN @(\w+)")]
    private static partial Regex ListParameter();

    /// <summary>
    /// Checks <paramref name="normalised"/> against the golden file <paramref name="relativePath"/> (under Golden/), or
    /// writes it there when <see cref="UpdateGoldenVariable"/> is 1.
    /// </summary>
    public static void MatchesGolden(string relativePath, string normalised)
    {
        var path = Path.Combine(GoldenFolder(), relativePath);
        if (Environment.GetEnvironmentVariable(UpdateGoldenVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, normalised);
            return;
        }

        Assert.True(File.Exists(path),
            $"No golden file {path}. Run the test with {UpdateGoldenVariable}=1 to write it, review it, and commit it.");
        var golden = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(golden == normalised,
            $"The SQL Server text differs from its golden file {path}. If the change is meant, run the test with {UpdateGoldenVariable}=1, " +
            $"review the diff and commit it.{Environment.NewLine}Now:{Environment.NewLine}{normalised}");
    }

    /// <summary>The folder of the golden files, in the source tree (the tests run from the tree they were built from).</summary>
    public static string GoldenFolder([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden");
}
