namespace PopInfo.IntegrationTests.Data;

/// <summary>
/// A table the service defaults own (their store's SQL is written once) is created by each service that uses it, in its
/// own migrations — a database's history is its own. The copies must make the same table, on each engine.
/// </summary>
public sealed class SharedTableTests
{
    public static TheoryData<string, string, string, string> SharedTables => new()
    {
        { "registry_command_outbox", "collection", "exchange", MigratedDatabase.PostgreSql },
        { "registry_command_outbox", "collection", "exchange", MigratedDatabase.Sqlite },
        { "leases", "registry", "exchange", MigratedDatabase.PostgreSql },
        { "leases", "collection", "identity", MigratedDatabase.PostgreSql },
        { "leases", "registry", "identity", MigratedDatabase.Sqlite },
        { "leases", "collection", "exchange", MigratedDatabase.Sqlite },
    };

    [Theory]
    [MemberData(nameof(SharedTables))]
    public async Task Every_service_that_uses_a_shared_table_makes_the_same_one(string table, string first, string second, string provider)
    {
        await using var one = await MigratedDatabase.CreateCurrentAsync(first, provider);
        await using var other = await MigratedDatabase.CreateCurrentAsync(second, provider);

        var left = (await one.ReadSchemaAsync()).Tables[table];
        var right = (await other.ReadSchemaAsync()).Tables[table];

        Assert.NotEmpty(left.Columns);
        Assert.Equal(left.Columns, right.Columns);
        Assert.Equal(left.PrimaryKey, right.PrimaryKey);
        Assert.Equal(left.Indexes.Select(i => i.Description).Order(), right.Indexes.Select(i => i.Description).Order());
    }
}
