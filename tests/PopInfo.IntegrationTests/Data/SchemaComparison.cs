namespace PopInfo.IntegrationTests.Data;

/// <summary>
/// Compares the schema a service's PostgreSQL migrations make with the one its SQLite migrations make, table by table and
/// column by column: the same tables, the same columns, compatible types (<see cref="SqliteAffinityOf"/>), the same
/// nullability, the same primary keys, the same indexes (named ones by name; those of UNIQUE constraints by their
/// columns), the same triggers and the same foreign keys. Column order is not compared (columns are read by name).
/// Nullability: a primary-key column counts as NOT NULL on both sides. SQLite would store a NULL in a non-INTEGER
/// primary-key column of a rowid table not declared NOT NULL (its documented legacy quirk; 29 such columns at fdc00fc,
/// e.g. collection.accounts.user_name); the platform always supplies its keys, so that is not counted as a difference.
/// </summary>
public static class SchemaComparison
{
    /// <summary>
    /// PostgreSQL's type (<c>information_schema.columns.data_type</c>) → the affinity SQLite must give the column (from its
    /// declared type, <see cref="AffinityOf"/>), as <see cref="PopInfo.ServiceDefaults.Data.SqliteDialect"/> and
    /// Microsoft.Data.Sqlite store the values: text, identifiers (a Guid as its text), times (ISO 8601 text in UTC,
    /// offset included), dates ('yyyy-MM-dd') and JSON are TEXT; booleans (0/1) and every integer width are INTEGER
    /// (SQLite's integers are 64-bit); floating point is REAL; bytes are BLOB. A type missing here fails the comparison
    /// until it is mapped.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> SqliteAffinityOf = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["text"] = "TEXT",
        ["character varying"] = "TEXT",
        ["uuid"] = "TEXT",
        ["timestamp with time zone"] = "TEXT",
        ["date"] = "TEXT",
        ["jsonb"] = "TEXT",
        ["boolean"] = "INTEGER",
        ["smallint"] = "INTEGER",
        ["integer"] = "INTEGER",
        ["bigint"] = "INTEGER",
        ["double precision"] = "REAL",
        ["real"] = "REAL",
        ["bytea"] = "BLOB",
    };

    /// <summary>
    /// The affinity SQLite gives a column of a declared type, by its rules in this order (sqlite.org/datatype3.html,
    /// 3.1): "INT" → INTEGER; "CHAR", "CLOB" or "TEXT" → TEXT; "BLOB" or no type → BLOB; "REAL", "FLOA" or "DOUB" →
    /// REAL; anything else → NUMERIC. So "bigint" and "INTEGER" store alike; "DATETIME" or "BOOLEAN" (NUMERIC) do not
    /// store as TEXT or INTEGER do, and fail.
    /// </summary>
    public static string AffinityOf(string declaredType)
    {
        var type = declaredType.ToUpperInvariant();
        return type.Contains("INT", StringComparison.Ordinal) ? "INTEGER"
            : type.Contains("CHAR", StringComparison.Ordinal) || type.Contains("CLOB", StringComparison.Ordinal) || type.Contains("TEXT", StringComparison.Ordinal) ? "TEXT"
            : type.Length == 0 || type.Contains("BLOB", StringComparison.Ordinal) ? "BLOB"
            : type.Contains("REAL", StringComparison.Ordinal) || type.Contains("FLOA", StringComparison.Ordinal) || type.Contains("DOUB", StringComparison.Ordinal) ? "REAL"
            : "NUMERIC";
    }

    /// <summary>A service's PostgreSQL schema against its SQLite one (types by <see cref="SqliteAffinityOf"/>).</summary>
    public static List<SchemaDifference> Compare(string service, DatabaseSchema postgreSql, DatabaseSchema sqlite) =>
        Compare(new Sides(service, "PostgreSQL", "SQLite", CompatibleType), postgreSql, sqlite);

    /// <summary>Two schemas of one service on the same database (an upgraded one and a fresh one): types must be equal.</summary>
    public static List<SchemaDifference> CompareSame(string service, string provider, DatabaseSchema upgraded, DatabaseSchema fresh) =>
        Compare(new Sides(service, $"upgraded {provider}", $"fresh {provider}",
            (type, other) => type == other ? null : (type, other)), upgraded, fresh);

    private static List<SchemaDifference> Compare(Sides sides, DatabaseSchema left, DatabaseSchema right)
    {
        var differences = new List<SchemaDifference>();
        foreach (var name in left.Tables.Keys.Union(right.Tables.Keys).Order(StringComparer.Ordinal))
        {
            left.Tables.TryGetValue(name, out var leftTable);
            right.Tables.TryGetValue(name, out var rightTable);
            if (leftTable is null || rightTable is null)
            {
                differences.Add(sides.Difference(name, null, "table", Presence(leftTable), Presence(rightTable)));
                continue;
            }

            CompareColumns(sides, leftTable, rightTable, differences);
            var leftKey = string.Join(", ", leftTable.PrimaryKey);
            var rightKey = string.Join(", ", rightTable.PrimaryKey);
            if (leftKey != rightKey)
            {
                differences.Add(sides.Difference(name, null, "primary key", $"({leftKey})", $"({rightKey})"));
            }

            CompareSets(sides, name, "index", leftTable.Indexes.Select(i => i.Description), rightTable.Indexes.Select(i => i.Description), differences);
            CompareSets(sides, name, "trigger", leftTable.Triggers, rightTable.Triggers, differences);
            CompareSets(sides, name, "foreign key", leftTable.ForeignKeys, rightTable.ForeignKeys, differences);
        }

        return differences;
    }

    private static void CompareColumns(Sides sides, TableSchema leftTable, TableSchema rightTable, List<SchemaDifference> differences)
    {
        var rightColumns = rightTable.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var leftColumns = leftTable.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var column in leftTable.Columns.Where(c => !rightColumns.ContainsKey(c.Name)))
        {
            differences.Add(sides.Difference(leftTable.Name, column.Name, "column", $"{column.Type} {Nullability(column)}", "absent"));
        }

        foreach (var column in rightTable.Columns.Where(c => !leftColumns.ContainsKey(c.Name)))
        {
            differences.Add(sides.Difference(leftTable.Name, column.Name, "column", "absent", $"{column.Type} {Nullability(column)}"));
        }

        foreach (var column in leftTable.Columns.Where(c => rightColumns.ContainsKey(c.Name)))
        {
            var other = rightColumns[column.Name];
            if (sides.TypesDiffer(column.Type, other.Type) is var (left, right))
            {
                differences.Add(sides.Difference(leftTable.Name, column.Name, "type", left, right));
            }

            if (column.Nullable != other.Nullable)
            {
                differences.Add(sides.Difference(leftTable.Name, column.Name, "nullability", Nullability(column), Nullability(other)));
            }
        }
    }

    /// <summary>Null when a PostgreSQL type and a SQLite declared type store alike; else how each side reads.</summary>
    private static (string, string)? CompatibleType(string postgreSqlType, string sqliteType)
    {
        if (!SqliteAffinityOf.TryGetValue(postgreSqlType, out var expected))
        {
            return ($"{postgreSqlType} (no SQLite affinity mapped to it)", sqliteType);
        }

        var affinity = AffinityOf(sqliteType);
        return affinity == expected ? null : ($"{postgreSqlType} (wants SQLite affinity {expected})", $"{sqliteType} (affinity {affinity})");
    }

    private static void CompareSets(Sides sides, string table, string what, IEnumerable<string> leftItems, IEnumerable<string> rightItems,
        List<SchemaDifference> differences)
    {
        var leftSet = leftItems.ToHashSet(StringComparer.Ordinal);
        var rightSet = rightItems.ToHashSet(StringComparer.Ordinal);
        differences.AddRange(leftSet.Except(rightSet).Order(StringComparer.Ordinal).Select(d => sides.Difference(table, d, what, "present", "absent")));
        differences.AddRange(rightSet.Except(leftSet).Order(StringComparer.Ordinal).Select(d => sides.Difference(table, d, what, "absent", "present")));
    }

    /// <summary>The service, what each side is called in a message, and when two column types differ.</summary>
    private sealed record Sides(string Service, string LeftName, string RightName, Func<string, string, (string, string)?> TypesDiffer)
    {
        public SchemaDifference Difference(string table, string? item, string what, string left, string right) =>
            new(Service, table, item, what, $"{LeftName} {left}", $"{RightName} {right}");
    }

    private static string Presence(TableSchema? table) => table is null ? "absent" : "present";

    private static string Nullability(ColumnSchema column) => column.Nullable ? "NULL" : "NOT NULL";
}

/// <summary>
/// One way two schemas of a service differ: in a table, at an item (a column, index or trigger; null for the table
/// itself or its primary key), in what (table, column, type, nullability, primary key, index, trigger or foreign key), with each side
/// as it reads, named ("PostgreSQL bigint", "SQLite absent").
/// </summary>
public sealed record SchemaDifference(string Service, string Table, string? Item, string What, string Left, string Right)
{
    public override string ToString() =>
        $"{Service}: table {Table}{(Item is null ? "" : $", {Item}")}: {What} differs: {Left}, {Right}";
}
