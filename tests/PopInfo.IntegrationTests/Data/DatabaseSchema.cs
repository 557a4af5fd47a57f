using System.Data.Common;
using Dapper;

namespace PopInfo.IntegrationTests.Data;

/// <summary>
/// A database's schema as its catalogue tells it, reduced to what the PostgreSQL and SQLite migrations must agree on:
/// tables, their columns (declared type, nullability, in order), primary key, indexes, triggers and foreign keys. The migration
/// journal (Evolve's <c>schema_migrations</c>) and SQLite's own tables (<c>sqlite_%</c>) are left out: neither is the
/// platform's schema.
/// </summary>
public sealed record DatabaseSchema(IReadOnlyDictionary<string, TableSchema> Tables)
{
    private const string Journal = "schema_migrations";

    /// <summary>The tables of one PostgreSQL schema (a service's, named as the service).</summary>
    public static async Task<DatabaseSchema> ReadPostgreSqlAsync(DbConnection connection, string schema)
    {
        var columns = await connection.QueryAsync<(string Table, string Column, string Type, string Nullable)>(
            """
            SELECT c.table_name, c.column_name, c.data_type, c.is_nullable
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = @schema AND t.table_type = 'BASE TABLE' AND c.table_name <> @journal
            ORDER BY c.table_name, c.ordinal_position
            """, new { schema, journal = Journal });
        var primaryKeys = await connection.QueryAsync<(string Table, string Column)>(
            """
            SELECT t.relname, a.attname
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            CROSS JOIN LATERAL unnest(i.indkey::smallint[]) WITH ORDINALITY AS k(attnum, position)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE n.nspname = @schema AND i.indisprimary
            ORDER BY t.relname, k.position
            """, new { schema });
        // An index that backs a UNIQUE constraint is named by PostgreSQL (…_key) and by SQLite (sqlite_autoindex_…) each
        // its own way: such indexes are compared without a name.
        var indexes = await connection.QueryAsync<(string Table, string Name, bool Unique, bool Partial, bool OfConstraint, string Columns)>(
            """
            SELECT t.relname, x.relname, i.indisunique, i.indpred IS NOT NULL,
                   EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid),
                   (SELECT string_agg(coalesce(a.attname, '<expression>'), ',' ORDER BY k.position)
                    FROM unnest(i.indkey::smallint[]) WITH ORDINALITY AS k(attnum, position)
                    LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum <> 0)
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_class x ON x.oid = i.indexrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = @schema AND NOT i.indisprimary AND t.relname <> @journal
            """, new { schema, journal = Journal });
        var triggers = await connection.QueryAsync<(string Table, string Name)>(
            """
            SELECT t.relname, g.tgname
            FROM pg_trigger g
            JOIN pg_class t ON t.oid = g.tgrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = @schema AND NOT g.tgisinternal
            """, new { schema });

        var foreignKeys = await connection.QueryAsync<(string Table, string Columns, string Referenced, string ReferencedColumns)>(
            """
            SELECT t.relname,
                   (SELECT string_agg(a.attname, ', ' ORDER BY k.position)
                    FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, position)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
                   r.relname,
                   (SELECT string_agg(a.attname, ', ' ORDER BY k.position)
                    FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, position)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)
            FROM pg_constraint con
            JOIN pg_class t ON t.oid = con.conrelid
            JOIN pg_class r ON r.oid = con.confrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = @schema AND con.contype = 'f'
            """, new { schema });

        return Assemble(
            columns.Select(c => (c.Table, new ColumnSchema(c.Column, c.Type, c.Nullable == "YES"))),
            primaryKeys,
            indexes.Select(i => (i.Table, new IndexSchema(i.OfConstraint ? null : i.Name, i.Columns.Split(','), i.Unique, i.Partial))),
            triggers,
            foreignKeys.Select(f => (f.Table, ForeignKey(f.Columns, f.Referenced, f.ReferencedColumns))));
    }

    /// <summary>The tables of one SQLite file.</summary>
    public static async Task<DatabaseSchema> ReadSqliteAsync(DbConnection connection)
    {
        var tables = (await connection.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> @journal ORDER BY name",
            new { journal = Journal })).ToList();
        var columns = new List<(string, ColumnSchema)>();
        var primaryKeys = new List<(string, string)>();
        var indexes = new List<(string, IndexSchema)>();
        var foreignKeys = new List<(string, string)>();
        foreach (var table in tables)
        {
            var tableColumns = await connection.QueryAsync<(string Name, string Type, long NotNull, long Pk)>(
                "SELECT name, type, \"notnull\", pk FROM pragma_table_info(@table) ORDER BY cid", new { table });
            foreach (var column in tableColumns)
            {
                // A primary-key column counts as NOT NULL, as on PostgreSQL (see SchemaComparison: SQLite's rowid
                // tables would take a NULL in a non-INTEGER key column; the platform always supplies its keys).
                columns.Add((table, new ColumnSchema(column.Name, column.Type, column.NotNull == 0 && column.Pk == 0)));
            }

            primaryKeys.AddRange(tableColumns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => (table, c.Name)));

            var tableIndexes = await connection.QueryAsync<(string Name, long Unique, string Origin, long Partial)>(
                "SELECT name, \"unique\", origin, partial FROM pragma_index_list(@table)", new { table });
            foreach (var index in tableIndexes.Where(i => i.Origin != "pk"))
            {
                var indexColumns = await connection.QueryAsync<string?>(
                    "SELECT name FROM pragma_index_info(@index) ORDER BY seqno", new { index = index.Name });
                indexes.Add((table, new IndexSchema(index.Origin == "u" ? null : index.Name,
                    indexColumns.Select(c => c ?? "<expression>").ToList(), index.Unique != 0, index.Partial != 0)));
            }

            var references = await connection.QueryAsync<(long Id, string Referenced, string From, string? To)>(
                "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(@table) ORDER BY id, seq", new { table });
            foreach (var reference in references.GroupBy(r => r.Id))
            {
                var referenced = reference.First().Referenced;
                // REFERENCES t without columns means t's primary key.
                var to = reference.All(r => r.To is not null)
                    ? reference.Select(r => r.To!)
                    : await connection.QueryAsync<string>("SELECT name FROM pragma_table_info(@referenced) WHERE pk > 0 ORDER BY pk", new { referenced });
                foreignKeys.Add((table, ForeignKey(string.Join(", ", reference.Select(r => r.From)), referenced, string.Join(", ", to))));
            }
        }

        var triggers = await connection.QueryAsync<(string Table, string Name)>(
            "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'");
        return Assemble(columns, primaryKeys, indexes, triggers, foreignKeys);
    }

    private static string ForeignKey(string columns, string referenced, string referencedColumns) =>
        $"({columns}) references {referenced} ({referencedColumns})";

    private static DatabaseSchema Assemble(IEnumerable<(string Table, ColumnSchema Column)> columns, IEnumerable<(string Table, string Column)> primaryKeys,
        IEnumerable<(string Table, IndexSchema Index)> indexes, IEnumerable<(string Table, string Name)> triggers,
        IEnumerable<(string Table, string Description)> foreignKeys)
    {
        var foreignKeysByTable = foreignKeys.ToLookup(f => f.Table, f => f.Description);
        var keys = primaryKeys.ToLookup(k => k.Table, k => k.Column);
        var indexesByTable = indexes.ToLookup(i => i.Table, i => i.Index);
        var triggersByTable = triggers.ToLookup(t => t.Table, t => t.Name);
        var tables = columns.GroupBy(c => c.Table).ToDictionary(
            g => g.Key,
            g => new TableSchema(g.Key, [.. g.Select(c => c.Column)], [.. keys[g.Key]],
                [.. indexesByTable[g.Key].OrderBy(i => i.Description, StringComparer.Ordinal)],
                [.. triggersByTable[g.Key].Order(StringComparer.Ordinal)],
                [.. foreignKeysByTable[g.Key].Order(StringComparer.Ordinal)]),
            StringComparer.Ordinal);
        return new DatabaseSchema(tables);
    }
}

/// <summary>A table: its columns in order, its primary key's columns in order, its indexes, triggers and foreign keys.</summary>
public sealed record TableSchema(string Name, IReadOnlyList<ColumnSchema> Columns, IReadOnlyList<string> PrimaryKey,
    IReadOnlyList<IndexSchema> Indexes, IReadOnlyList<string> Triggers, IReadOnlyList<string> ForeignKeys);

/// <summary>A column; its type as declared: PostgreSQL's <c>information_schema.columns.data_type</c>, SQLite's declared type.</summary>
public sealed record ColumnSchema(string Name, string Type, bool Nullable);

/// <summary>An index; its name is null for one that backs a UNIQUE constraint (each database names those its own way).</summary>
public sealed record IndexSchema(string? Name, IReadOnlyList<string> Columns, bool Unique, bool Partial)
{
    public string Description =>
        $"{(Unique ? "unique " : "")}index {Name ?? "(of a UNIQUE constraint)"} on ({string.Join(", ", Columns)}){(Partial ? " partial" : "")}";
}
