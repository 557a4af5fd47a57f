using System.Reflection;
using PopInfo.ServiceDefaults.Data;
using PopInfo.UnitTests.Architecture;

namespace PopInfo.UnitTests.Data.SqlServer;

/// <summary>
/// The statements the services send SQL Server, produced without a server and parsed as T-SQL. Which ones: every
/// statement that differs per product — the stores build those with a static method <c>string …Sql(SqlDialect)</c>
/// (or <c>(SqlDialect, int rows)</c>, taken here with 2 rows), found by reflection in every platform assembly; every
/// audit table's inserts (the <see cref="AuditTable"/>s the assemblies declare); the SQL Server dialect's own statements
/// (its locks, the database's creation); and each member of the dialect, in a statement of its own. Statements that do
/// not ask the dialect are not produced here (docs/testing.md, "SQL Server": what this covers and what it does not).
/// </summary>
public sealed class SqlServerStatementTests
{
    private static readonly SqlServerDialect Dialect = new("Server=no-server-needed;Database=popinfo_test");

    public static TheoryData<string> Statements() => [.. All().Keys];

    [Theory]
    [MemberData(nameof(Statements))]
    public void The_statement_parses_as_TSql_and_matches_its_golden_file(string name)
    {
        var statement = All()[name];

        var errors = TSql.Errors(TSql.AsSent(statement), out var fragment);

        Assert.True(errors.Count == 0, $"{name}:{Environment.NewLine}{statement}{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
        TSql.MatchesGolden(Path.Combine("Statements", name + ".sql"), TSql.Normalised(fragment));
    }

    /// <summary>The control of the theory above: the reflection finds the stores' builders (a few named ones, and many).</summary>
    [Fact]
    public void The_statements_of_the_stores_are_found()
    {
        var names = All().Keys.ToList();

        Assert.Contains("PopInfo.Registry.Data.PersonStore.NewPersonChangeSql", names);
        Assert.Contains("PopInfo.Sharing.People.PeopleStore.UpsertSql", names);
        Assert.Contains("PopInfo.ServiceDefaults.Security.RateLimits.RateLimitCounterStore.HitSql", names);
        Assert.Contains("PopInfo.Sharing.Audit.AccessAuditStore.Table.MultiRowInsertSql", names);
        Assert.Contains("PopInfo.Sharing.Audit.AccessAuditStore.SearchEntriesSql", names);
        Assert.Contains("PopInfo.Collection.Audit.DeskAuditStore.PersonEntriesSql", names);
        Assert.Contains("PopInfo.Exchange.PersonAccess.ExchangeAuditSearchStore.PersonEntriesSql", names);
        Assert.Contains("PopInfo.Registry.AuditSearch.RegistryAuditStore.PersonEntriesSql", names);
        Assert.True(names.Count(n => !n.StartsWith("Dialect.", StringComparison.Ordinal)) >= 40, string.Join(", ", names));
    }

    /// <summary>Why <c>Quoted</c> exists: a column named <c>use</c> (the identity provider's signing keys) is a reserved word of T-SQL.</summary>
    [Fact]
    public void A_column_named_use_does_not_parse_unquoted_in_TSql()
    {
        Assert.NotEmpty(TSql.Errors("SELECT key_id, use FROM signing_keys", out _));
        Assert.Empty(TSql.Errors($"SELECT key_id, {Dialect.Quoted("use")} FROM signing_keys", out _));
        Assert.Contains("PopInfo.Identity.Server.SigningKeyStore.ReadSql", All().Keys);
    }

    /// <summary>A golden file whose statement is gone (renamed, moved, removed) is removed too: the folder holds no stale text.</summary>
    [Fact]
    public void Every_golden_file_has_its_statement()
    {
        var folder = Path.Combine(TSql.GoldenFolder(), "Statements");
        var stale = Directory.GetFiles(folder, "*.sql").Select(Path.GetFileNameWithoutExtension).Where(name => !All().ContainsKey(name!)).ToList();

        Assert.True(stale.Count == 0, $"Golden files without a statement (delete them): {string.Join(", ", stale)}");
    }

    /// <summary>Every statement by a stable name (the golden file's).</summary>
    private static SortedDictionary<string, string> All()
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var assembly in PopInfoAssemblies.All.Select(PopInfoAssemblies.Load))
        {
            foreach (var type in assembly.GetTypes())
            {
                foreach (var method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (Builds(method) is { } arguments)
                    {
                        all[$"{type.FullName}.{method.Name}"] = (string)method.Invoke(null, arguments)!;
                    }
                }

                foreach (var (name, table) in AuditTables(type))
                {
                    all[$"{type.FullName}.{name}.InsertSql"] = table.InsertSql(Dialect);
                    all[$"{type.FullName}.{name}.AppendSql"] = table.AppendSql(Dialect);
                    all[$"{type.FullName}.{name}.MultiRowInsertSql"] = table.MultiRowInsertSql(Dialect, 2);
                }
            }
        }

        foreach (var field in typeof(SqlServerDialect).GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                     .Where(f => f.IsLiteral && f.Name.EndsWith("Sql", StringComparison.Ordinal)))
        {
            all[$"Dialect.{field.Name}"] = (string)field.GetRawConstantValue()!;
        }

        foreach (var (name, statement) in DialectMembers())
        {
            all[$"Dialect.{name}"] = statement;
        }

        return all;
    }

    // A store's statement builder: static, returns string, named …Sql, and takes the dialect (and a row count).
    private static object[]? Builds(MethodInfo method)
    {
        if (method.ReturnType != typeof(string) || !method.Name.EndsWith("Sql", StringComparison.Ordinal) || method.IsGenericMethod)
        {
            return null;
        }

        var parameters = method.GetParameters();
        return parameters.Select(p => p.ParameterType).ToArray() switch
        {
            [var d] when d == typeof(SqlDialect) => [Dialect],
            [var d, var n] when d == typeof(SqlDialect) && n == typeof(int) => [Dialect, 2],
            _ => null,
        };
    }

    private static IEnumerable<(string Name, AuditTable Table)> AuditTables(Type type)
    {
        const BindingFlags flags = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var field in type.GetFields(flags).Where(f => f.FieldType == typeof(AuditTable)))
        {
            yield return (field.Name, (AuditTable)field.GetValue(null)!);
        }

        foreach (var property in type.GetProperties(flags).Where(p => p.PropertyType == typeof(AuditTable) && p.GetIndexParameters().Length == 0))
        {
            yield return (property.Name, (AuditTable)property.GetValue(null)!);
        }
    }

    // Each member of the dialect in a statement of its own (the stores' statements above use them in context).
    private static IEnumerable<(string Name, string Statement)> DialectMembers()
    {
        var d = Dialect;
        yield return ("Limit", $"SELECT id FROM t ORDER BY id{d.Limit("@limit")}");
        yield return ("LimitNumber", $"SELECT id FROM t ORDER BY id{d.Limit("100")}");
        yield return ("UpdateLockHintAndForUpdate", $"SELECT id FROM t{d.UpdateLockHint} WHERE id = @id{d.ForUpdate}");
        yield return ("OutputReturningInsert", $"INSERT INTO t (a, b){d.Output("id")} VALUES (@a, @b){d.Returning("id")}");
        yield return ("OutputReturningUpdate", $"UPDATE t SET a = a + 1{d.Output("a, b")} WHERE id = 1{d.Returning("a, b")}");
        yield return ("UpsertNothing", d.Upsert("t", "a, b", "(@a, @b)", keys: "a"));
        yield return ("UpsertRows", d.Upsert("t", "a, b", "(@a1, @b1), (@a2, @b2)", keys: "a, b"));
        yield return ("UpsertUpdate", d.Upsert("t", "a, b, n", "(@a, @b, @n)", keys: "a, b", update: "n = t.n + excluded.n", returning: "n"));
        yield return ("UpsertUpdateWhere", d.Upsert("t", "a, v", "(@a, @v)", keys: "a", update: "v = excluded.v", updateWhere: "t.v < excluded.v OR t.v IS NULL"));
        yield return ("AgeInYears", $"SELECT {d.AgeInYears("birth_date", "asOf")} AS age FROM persons");
        yield return ("Json", $"INSERT INTO t (doc) VALUES ({d.Json("doc")})");
        yield return ("JsonInteger", $"SELECT {d.JsonInteger("after", "first")} AS first FROM audit_log");
        yield return ("JsonText", $"SELECT {d.JsonText("record", "person.birthDate")} AS birth FROM persons");
        yield return ("ChinaDay", $"SELECT {d.ChinaDay("recorded_at")} AS day FROM change_log");
        yield return ("EpochSeconds", $"SELECT {d.EpochSeconds("recorded_at")} AS seconds FROM change_log");
        yield return ("In", $"SELECT id FROM t WHERE {d.In("id", "ids")}");
        yield return ("AuditSearchPage", PopInfo.ServiceDefaults.Audit.AuditSearchStore.PageSql(d,
            "SELECT a.at, 'access' AS kind, '' AS part, a.id, a.actor, NULL AS client, NULL AS unit, a.action, NULL AS target, NULL AS purpose, " +
            "NULL AS reason, NULL AS person_id, NULL AS outcome FROM access_audit a WHERE a.at >= @from AND a.at < @to",
            byActor: true, byAction: true, afterCursor: true));
        yield return ("Quoted", $"SELECT key_id, {d.Quoted("use")} FROM signing_keys");
        yield return ("Concat", $"SELECT {d.Concat("'dept-'", "code", "'.'")} AS client FROM t");
        yield return ("UuidText", $"SELECT id FROM t WHERE target IN (SELECT {d.UuidText("f.id")} FROM forms f)");
        yield return ("IntegerText", $"SELECT REPLACE(@doc, @token, {d.IntegerText("last_sequence")}) AS doc FROM change_sequence");
        yield return ("JsonOf", $"INSERT INTO t (doc) VALUES ({d.JsonOf("REPLACE(@doc, @token, @value)")})");
        yield return ("Substring", $"SELECT CASE WHEN client_id LIKE 'dept-%' THEN {d.Substring("client_id", 6)} END AS unit FROM t");
        yield return ("Placeholders", $"INSERT INTO t (a, b) VALUES ({d.Placeholder(0)}, {d.Placeholder(1)})");
        yield return ("Now", $"UPDATE leases SET expires_at = {d.Now} WHERE name = @name AND expires_at <= {d.Now}");
        yield return ("NowPlusMilliseconds", $"UPDATE leases SET expires_at = {d.NowPlusMilliseconds("ttl")} WHERE name = @name");
    }
}
