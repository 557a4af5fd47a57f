using System.Reflection;
using PopInfo.UnitTests.Architecture;

namespace PopInfo.UnitTests.Data.SqlServer;

/// <summary>
/// Every service's SQL Server migrations (the scripts embedded in its assembly, as the migrator runs them) parse as
/// T-SQL with no error and match their golden, normalised form; and each service has the same numbered scripts for
/// SQL Server as for PostgreSQL and SQLite. Whether SQL Server then runs them is the behaviour tests' part
/// (tests/PopInfo.IntegrationTests/Data/SqlServer), where a Docker engine exists.
/// </summary>
public sealed class SqlServerMigrationTests
{
    private const string Folder = "SqlServer";

    public static TheoryData<string, string> Scripts()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in PopInfoAssemblies.Services)
        {
            foreach (var script in ScriptNames(service, Folder))
            {
                data.Add(service, script);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void The_migration_parses_as_TSql_and_matches_its_golden_file(string service, string script)
    {
        var text = Read(service, Folder, script);

        var errors = TSql.Errors(text, out var fragment);

        Assert.True(errors.Count == 0, $"{service} {script}:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
        TSql.MatchesGolden(Path.Combine("Migrations", service, script), TSql.Normalised(fragment));
    }

    [Fact]
    public void Every_service_has_the_same_numbered_scripts_for_every_product()
    {
        var mismatches = new List<string>();
        foreach (var service in PopInfoAssemblies.Services)
        {
            var postgres = ScriptNames(service, "PostgreSql");
            foreach (var product in new[] { "Sqlite", Folder })
            {
                var other = ScriptNames(service, product);
                if (!other.SequenceEqual(postgres))
                {
                    mismatches.Add($"{service} {product}: [{string.Join(", ", other)}], PostgreSql: [{string.Join(", ", postgres)}]");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    /// <summary>A golden file whose script is gone is removed too.</summary>
    [Fact]
    public void Every_golden_file_has_its_migration()
    {
        var stale = new List<string>();
        foreach (var folder in Directory.GetDirectories(Path.Combine(TSql.GoldenFolder(), "Migrations")))
        {
            var service = Path.GetFileName(folder);
            var scripts = PopInfoAssemblies.Services.Contains(service) ? ScriptNames(service, Folder) : [];
            stale.AddRange(Directory.GetFiles(folder, "*.sql").Select(Path.GetFileName).Where(file => !scripts.Contains(file!)).Select(file => $"{service}/{file}"));
        }

        Assert.True(stale.Count == 0, $"Golden files without a migration (delete them): {string.Join(", ", stale)}");
    }

    /// <summary>The control of the theory above: it has every service's scripts to check, the first of each a V1.</summary>
    [Fact]
    public void Every_service_has_SQL_Server_migrations()
    {
        foreach (var service in PopInfoAssemblies.Services)
        {
            var scripts = ScriptNames(service, Folder);
            Assert.StartsWith("V1__", scripts.Count == 0 ? "(none)" : scripts[0], StringComparison.Ordinal);
        }
    }

    // The migrator's order: by version number (V2 before V10).
    private static IReadOnlyList<string> ScriptNames(string service, string product)
    {
        var prefix = $"{service}.Migrations.{product}.";
        return [.. Assembly(service).GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(name => name[prefix.Length..])
            .OrderBy(name => int.Parse(name[1..name.IndexOf("__", StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static string Read(string service, string product, string script)
    {
        using var stream = Assembly(service).GetManifestResourceStream($"{service}.Migrations.{product}.{script}")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static Assembly Assembly(string service) => PopInfoAssemblies.Load(service);
}
