namespace PopInfo.IntegrationTests.Data;

/// <summary>
/// The comparison itself, on schemas written here (no database): it reads SQLite's declared types as SQLite does, and
/// reports each kind of difference it promises to, naming service, table, item and both sides; the allow-list lets
/// only its own differences through and fails on its entries that no longer differ; and every service that has
/// migrations is covered.
/// </summary>
public sealed class SchemaComparisonTests
{
    [Theory]
    [InlineData("INTEGER", "INTEGER")]
    [InlineData("bigint", "INTEGER")]
    [InlineData("TEXT", "TEXT")]
    [InlineData("varchar(20)", "TEXT")]
    [InlineData("REAL", "REAL")]
    [InlineData("DOUBLE PRECISION", "REAL")]
    [InlineData("BLOB", "BLOB")]
    [InlineData("", "BLOB")]
    [InlineData("DATETIME", "NUMERIC")]
    [InlineData("BOOLEAN", "NUMERIC")]
    [InlineData("FLOATING POINT", "INTEGER")] // SQLite's own example: "INT" in "POINT" comes first.
    public void Sqlite_affinity_follows_sqlites_rules(string declaredType, string affinity) =>
        Assert.Equal(affinity, SchemaComparison.AffinityOf(declaredType));

    [Fact]
    public void Equal_schemas_have_no_difference() =>
        Assert.Empty(SchemaComparison.Compare("svc", PostgreSql(), Sqlite()));

    [Fact]
    public void Each_kind_of_difference_is_reported_naming_both_sides()
    {
        var sqlite = Schema(
            new TableSchema("people",
                [new("id", "TEXT", false), new("born", "DATETIME", false), new("name", "TEXT", true), new("extra", "TEXT", true)],
                ["id", "name"],
                [new IndexSchema("people_born", ["born"], Unique: false, Partial: false)],
                [],
                ["(name) references names (name)"]),
            new TableSchema("sqlite_only", [new("id", "INTEGER", false)], ["id"], [], [], []));

        var differences = SchemaComparison.Compare("svc", PostgreSql(), sqlite).Select(d => d.ToString()).ToList();

        Assert.Equal(
            [
                "svc: table people, extra: column differs: PostgreSQL absent, SQLite TEXT NULL",
                "svc: table people, born: type differs: PostgreSQL date (wants SQLite affinity TEXT), SQLite DATETIME (affinity NUMERIC)",
                "svc: table people, name: nullability differs: PostgreSQL NOT NULL, SQLite NULL",
                "svc: table people: primary key differs: PostgreSQL (id), SQLite (id, name)",
                "svc: table people, index people_name on (name): index differs: PostgreSQL present, SQLite absent",
                "svc: table people, index people_born on (born): index differs: PostgreSQL absent, SQLite present",
                "svc: table people, audit: trigger differs: PostgreSQL present, SQLite absent",
                "svc: table people, (name) references names (name): foreign key differs: PostgreSQL absent, SQLite present",
                "svc: table sqlite_only: table differs: PostgreSQL absent, SQLite present",
            ],
            differences);
    }

    [Fact]
    public void A_postgresql_type_without_a_mapping_is_a_difference()
    {
        var pg = Schema(new TableSchema("t", [new("id", "integer", false), new("at", "interval", false)], ["id"], [], [], []));
        var sqlite = Schema(new TableSchema("t", [new("id", "INTEGER", false), new("at", "TEXT", false)], ["id"], [], [], []));

        var difference = Assert.Single(SchemaComparison.Compare("svc", pg, sqlite));

        Assert.Equal("svc: table t, at: type differs: PostgreSQL interval (no SQLite affinity mapped to it), SQLite TEXT", difference.ToString());
    }

    [Fact]
    public void An_allowed_difference_passes_an_other_fails_and_an_allowed_one_that_has_gone_fails()
    {
        var postgreSqlOnly = new SchemaDifference("svc", "pg_only", null, "table", "PostgreSQL present", "SQLite absent");
        var unlisted = new SchemaDifference("svc", "t", "c", "nullability", "PostgreSQL NOT NULL", "SQLite NULL");
        List<AllowedDifference> allowed =
        [
            new("svc", "pg_only", null, "table", "PostgreSQL only"),
            new("svc", "gone", "c", "type", "was different once"),
            new("other", "t", "c", "nullability", "another service's"),
        ];

        var unexplained = KnownSchemaDifferences.Unexplained("svc", [postgreSqlOnly, unlisted], allowed);

        Assert.Equal(
            [
                "svc: table t, c: nullability differs: PostgreSQL NOT NULL, SQLite NULL",
                "allowed but no longer differs (remove it from KnownSchemaDifferences): svc: table gone, c: type (was different once)",
            ],
            unexplained);
    }

    [Fact]
    public void Every_service_with_migrations_is_compared()
    {
        var withMigrations = Directory.GetDirectories(Path.Combine(PopInfo.Testing.RepositoryRoot.Path, "services"))
            .Where(d => Directory.Exists(Path.Combine(d, "Migrations")))
            .Select(d => Path.GetFileName(d)["PopInfo.".Length..])
            .Order(StringComparer.Ordinal);

        Assert.Equal(withMigrations, ServiceMigrations.All.Keys.Select(ServiceMigrations.FolderOf).Order(StringComparer.Ordinal));
    }

    private static DatabaseSchema PostgreSql() => Schema(new TableSchema("people",
        [new("id", "uuid", false), new("born", "date", false), new("name", "text", false)],
        ["id"],
        [new IndexSchema("people_name", ["name"], Unique: false, Partial: false)],
        ["audit"],
        []));

    private static DatabaseSchema Sqlite() => Schema(new TableSchema("people",
        [new("id", "TEXT", false), new("born", "text", false), new("name", "TEXT", false)],
        ["id"],
        [new IndexSchema("people_name", ["name"], Unique: false, Partial: false)],
        ["audit"],
        []));

    private static DatabaseSchema Schema(params TableSchema[] tables) => new(tables.ToDictionary(t => t.Name));
}
