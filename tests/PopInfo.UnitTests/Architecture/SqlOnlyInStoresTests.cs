namespace PopInfo.UnitTests.Architecture;

/// <summary>
/// SQL lives only in store classes (docs/architecture.md, the house conventions). A store is a type whose name ends in
/// "Store", or the data plumbing every store stands on: PopInfo.ServiceDefaults.Data (ServiceDatabase, the dialects,
/// the migrator, the audit tables, the database errors). A type "uses SQL" when it depends on a database driver, on
/// Dapper's SqlMapper (every Query/Execute call) or on an ADO.NET connection or command.
/// <para>
/// It is not so today: <see cref="KnownExceptions"/> names every type outside a store that uses SQL, with why. The test
/// fails on a new one, and on a listed one that no longer uses SQL (take it off the list: the list only shrinks).
/// </para>
/// </summary>
public sealed class SqlOnlyInStoresTests
{
    private static readonly string[] SqlTypes =
    [
        "Npgsql", "Microsoft.Data.Sqlite", "Microsoft.Data.SqlClient", "Dapper.SqlMapper",
        "System.Data.Common.DbConnection", "System.Data.Common.DbCommand",
    ];

    private const string DataPlumbing = "PopInfo.ServiceDefaults.Data.";

    /// <summary>Types outside a store that use SQL at the commit this test was written on (fdc00fc), and why.</summary>
    private static readonly Dictionary<string, string> KnownExceptions = new(StringComparer.Ordinal)
    {
        // Registry
        // Collection (the desk)
        // Exchange
    };

    private static bool IsStore(string type) =>
        type.StartsWith(DataPlumbing, StringComparison.Ordinal) || type.EndsWith("Store", StringComparison.Ordinal);

    private static IReadOnlyList<string> TypesUsingSql() =>
        [.. PopInfoAssemblies.All.SelectMany(assembly => PopInfoAssemblies.TypesDependingOn(assembly, SqlTypes))];

    [Fact]
    public void Sql_is_used_only_in_stores_and_in_the_known_exceptions()
    {
        var outsideStores = TypesUsingSql().Where(type => !IsStore(type)).ToHashSet(StringComparer.Ordinal);
        var newOnes = outsideStores.Where(type => !KnownExceptions.ContainsKey(type)).Order(StringComparer.Ordinal).ToList();
        var noLongerUsingSql = KnownExceptions.Keys.Where(type => !outsideStores.Contains(type)).Order(StringComparer.Ordinal).ToList();

        Assert.True(newOnes.Count == 0 && noLongerUsingSql.Count == 0,
            $"""
            SQL types ({string.Join(", ", SqlTypes)}) belong in store classes (a name ending in Store, or {DataPlumbing}*).
            New types outside a store that use them (move the SQL into a store): {List(newOnes)}
            Known exceptions that no longer use them (take them off KnownExceptions): {List(noLongerUsingSql)}
            The known exceptions ({KnownExceptions.Count}):{string.Concat(KnownExceptions.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{Environment.NewLine}  {e.Key}: {e.Value}"))}
            """);
    }

    /// <summary>The control of the rule above: it does see SQL where SQL is, in the stores and the plumbing.</summary>
    [Fact]
    public void The_rule_sees_the_sql_of_the_stores_and_the_data_plumbing()
    {
        var usingSql = TypesUsingSql();

        Assert.Contains("PopInfo.Registry.Data.PersonStore", usingSql);
        Assert.Contains("PopInfo.Collection.Forms.FormStore", usingSql);
        Assert.Contains("PopInfo.ServiceDefaults.Data.ServiceDatabase", usingSql);
        Assert.Contains("PopInfo.ServiceDefaults.Data.DatabaseMigrator", usingSql);
    }

    private static string List(List<string> types) => types.Count == 0 ? "none" : string.Join(", ", types);
}
