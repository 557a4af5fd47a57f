namespace PopInfo.IntegrationTests.Data;

/// <summary>
/// The SQLite migrations are translations of the PostgreSQL ones: for every service, a fresh PostgreSQL database and a
/// fresh SQLite file migrated by the platform's migrator have the same tables, columns, types (by the documented mapping
/// of <see cref="SchemaComparison.SqliteAffinityOf"/>), nullability, primary keys, indexes and triggers — but for the
/// differences of <see cref="KnownSchemaDifferences"/>, each of which must still occur.
/// </summary>
public sealed class SchemaParityTests
{
    [Theory]
    [MemberData(nameof(ServiceMigrations.Names), MemberType = typeof(ServiceMigrations))]
    public async Task PostgreSql_and_Sqlite_migrations_make_the_same_schema(string service)
    {
        await using var postgreSql = await MigratedDatabase.CreateCurrentAsync(service, MigratedDatabase.PostgreSql);
        await using var sqlite = await MigratedDatabase.CreateCurrentAsync(service, MigratedDatabase.Sqlite);
        var pgSchema = await postgreSql.ReadSchemaAsync();
        var sqliteSchema = await sqlite.ReadSchemaAsync();

        // The reading itself: a service's database has tables, each with columns, on both sides.
        Assert.NotEmpty(pgSchema.Tables);
        Assert.NotEmpty(sqliteSchema.Tables);

        var differences = SchemaComparison.Compare(service, pgSchema, sqliteSchema);
        var unexplained = KnownSchemaDifferences.Unexplained(service, differences, KnownSchemaDifferences.All);

        Assert.True(unexplained.Count == 0, string.Join(Environment.NewLine, unexplained));
    }
}
