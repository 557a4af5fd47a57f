using Npgsql;

namespace PopInfo.SyntheticCity.Loading.PostgreSql;

/// <summary>One index of a register table as the migration made it, and what it backs.</summary>
/// <param name="Name">The index's name (for a constraint, also the constraint's name).</param>
/// <param name="Definition">pg_get_indexdef: <c>CREATE [UNIQUE] INDEX name ON schema.table USING …</c>.</param>
/// <param name="Constraint">'p' primary key, 'u' unique constraint, or null for a plain index.</param>
internal sealed record IndexShape(string Name, string Definition, char? Constraint);

/// <summary>
/// A register table's indexes and constraints, read from the catalogue so that whatever later
/// migrations add is rebuilt too, with exactly the definition (name, columns, partial predicate) they
/// gave it. The load fills a staging copy of the table (<c>LIKE … INCLUDING ALL EXCLUDING INDEXES</c>),
/// builds these indexes on it, and swaps it in; what <c>LIKE</c> cannot carry over (foreign keys,
/// triggers, grants, storage parameters) makes the load refuse up front rather than lose it silently.
/// </summary>
internal sealed class TableShape
{
    private TableShape(string schema, string table, List<IndexShape> indexes)
    {
        Schema = schema;
        Table = table;
        Indexes = indexes;
    }

    public string Schema { get; }

    public string Table { get; }

    public IReadOnlyList<IndexShape> Indexes { get; }

    public string Qualified => $"{Schema}.{Table}";

    public string Staging => $"{Schema}.city_load_{Table}";

    /// <summary>The staging name of index <paramref name="i"/>; it takes its real name at the swap.</summary>
    public string StagingIndexName(int i) => $"city_load_{Table}_{i}";

    /// <exception cref="CityLoadException">The table has something a staging swap would lose.</exception>
    public static async Task<TableShape> ReadAsync(NpgsqlConnection connection, string schema, string table, CancellationToken ct)
    {
        var qualified = $"{schema}.{table}";
        const string unsupported = """
            SELECT
              (SELECT COUNT(*) FROM pg_constraint WHERE contype IN ('f', 'x') AND (conrelid = CAST(@t AS regclass) OR confrelid = CAST(@t AS regclass)))
            + (SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = CAST(@t AS regclass) AND NOT tgisinternal)
            + (SELECT COUNT(*) FROM pg_class WHERE oid = CAST(@t AS regclass) AND (relacl IS NOT NULL OR reloptions IS NOT NULL OR relrowsecurity))
            """;
        await using (var check = new NpgsqlCommand(unsupported, connection))
        {
            check.Parameters.AddWithValue("t", qualified);
            if ((long)(await check.ExecuteScalarAsync(ct))! > 0)
            {
                throw new CityLoadException(
                    $"{qualified} has foreign keys, exclusion constraints, triggers, grants, row security or storage parameters, " +
                    "which the load's staging-table swap would not carry over. Update the tool (Loading/PostgreSql/TableShape.cs) for them.");
            }
        }

        const string indexes = """
            SELECT i.relname, pg_get_indexdef(i.oid), c.contype
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
            WHERE x.indrelid = CAST(@t AS regclass)
            ORDER BY c.contype NULLS LAST, i.relname
            """;
        var found = new List<IndexShape>();
        await using (var command = new NpgsqlCommand(indexes, connection))
        {
            command.Parameters.AddWithValue("t", qualified);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                found.Add(new IndexShape(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetChar(2)));
            }
        }

        return new TableShape(schema, table, found);
    }

    /// <summary>
    /// Drops any staging table a failed or killed load left behind, and creates it afresh. Autovacuum is
    /// off for it while it fills: it would otherwise scan the growing table during the COPY and compete
    /// for the same two cores (the settings are reset before the swap, see <see cref="SwapSql"/>).
    /// </summary>
    public string CreateStagingSql() =>
        $"DROP TABLE IF EXISTS {Staging}; CREATE TABLE {Staging} (LIKE {Qualified} INCLUDING ALL EXCLUDING INDEXES) " +
        "WITH (autovacuum_enabled = false, toast.autovacuum_enabled = false)";

    public string DropStagingSql() => $"DROP TABLE IF EXISTS {Staging}";

    /// <summary>The statement that builds index <paramref name="i"/> on the staging table under its staging name.</summary>
    public string CreateIndexSql(int i)
    {
        var definition = Indexes[i].Definition;
        var unique = definition.StartsWith("CREATE UNIQUE INDEX ", StringComparison.Ordinal);
        var method = definition.IndexOf(" USING ", StringComparison.Ordinal);
        if (method < 0 || !(unique || definition.StartsWith("CREATE INDEX ", StringComparison.Ordinal)))
        {
            throw new CityLoadException($"Index {Indexes[i].Name} of {Qualified} has a definition the tool does not understand: {definition}");
        }

        return $"CREATE {(unique ? "UNIQUE " : "")}INDEX {StagingIndexName(i)} ON {Staging}{definition[method..]}";
    }

    /// <summary>
    /// Inside the swap transaction: the original (empty, or to be replaced) table goes, the staging
    /// table takes its name, and each index takes its name back — constraint indexes become the
    /// primary key or unique constraint again (<c>ADD CONSTRAINT … USING INDEX</c>, no rebuild).
    /// </summary>
    public IEnumerable<string> SwapSql()
    {
        yield return $"DROP TABLE {Qualified}";
        // The register's table has no storage parameters (ReadAsync refuses otherwise): neither does its successor.
        yield return $"ALTER TABLE {Staging} RESET (autovacuum_enabled, toast.autovacuum_enabled)";
        yield return $"ALTER TABLE {Staging} RENAME TO {Table}";
        for (var i = 0; i < Indexes.Count; i++)
        {
            var index = Indexes[i];
            yield return index.Constraint switch
            {
                'p' => $"ALTER TABLE {Qualified} ADD CONSTRAINT {Quote(index.Name)} PRIMARY KEY USING INDEX {StagingIndexName(i)}",
                'u' => $"ALTER TABLE {Qualified} ADD CONSTRAINT {Quote(index.Name)} UNIQUE USING INDEX {StagingIndexName(i)}",
                _ => $"ALTER INDEX {Schema}.{StagingIndexName(i)} RENAME TO {Quote(index.Name)}",
            };
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
