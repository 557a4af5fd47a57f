namespace PopInfo.UnitTests.Architecture;

/// <summary>
/// SQL lives only in store classes (docs/architecture.md, the house conventions). A store is a type whose name ends in
/// "Store", or the data plumbing every store stands on: PopInfo.ServiceDefaults.Data (ServiceDatabase, UnitOfWork, the
/// dialects, the migrator, the audit tables, the database errors). A type "uses SQL" when it depends on a database
/// driver, on Dapper's SqlMapper (every Query/Execute call) or on an ADO.NET connection, transaction, command or reader.
/// An application service that needs statements to commit together holds a <c>UnitOfWork</c> and hands it to its
/// stores; only they read its connection and transaction.
/// <para>
/// No exceptions: the 25 types outside a store that used SQL at fdc00fc (the commit issue 14 started from) became
/// stores or moved their SQL into one in session 15.
/// </para>
/// </summary>
public sealed class SqlOnlyInStoresTests
{
    private static readonly string[] SqlTypes =
    [
        "Npgsql", "Microsoft.Data.Sqlite", "Microsoft.Data.SqlClient", "Dapper.SqlMapper",
        "System.Data.Common.DbConnection", "System.Data.Common.DbTransaction", "System.Data.Common.DbCommand",
        "System.Data.Common.DbDataReader",
    ];

    private const string DataPlumbing = "PopInfo.ServiceDefaults.Data.";

    private static bool IsStore(string type) =>
        type.StartsWith(DataPlumbing, StringComparison.Ordinal) || type.EndsWith("Store", StringComparison.Ordinal);

    private static IReadOnlyList<string> TypesUsingSql() =>
        [.. PopInfoAssemblies.All.SelectMany(assembly => PopInfoAssemblies.TypesDependingOn(assembly, SqlTypes))];

    [Fact]
    public void Sql_is_used_only_in_stores()
    {
        var outsideStores = TypesUsingSql().Where(type => !IsStore(type)).Order(StringComparer.Ordinal).ToList();

        Assert.True(outsideStores.Count == 0,
            $"""
            SQL types ({string.Join(", ", SqlTypes)}) belong in store classes (a name ending in Store, or {DataPlumbing}*).
            Types outside a store that use them (move the SQL into a store; hand a UnitOfWork to the stores where statements
            must commit together): {string.Join(", ", outsideStores)}
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
}
