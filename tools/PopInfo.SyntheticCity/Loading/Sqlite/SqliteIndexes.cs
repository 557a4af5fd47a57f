using Microsoft.Data.Sqlite;

namespace PopInfo.SyntheticCity.Loading.Sqlite;

/// <summary>
/// The explicitly created indexes of the given tables, read from sqlite_master with the exact SQL the
/// migration used, dropped for the load and re-run after it. Indexes that back a UNIQUE or PRIMARY KEY
/// constraint (sqlite_autoindex_…) cannot be dropped and stay in place.
/// </summary>
internal static class SqliteIndexes
{
    public static async Task<List<string>> DropAsync(SqliteConnection connection, SqliteTransaction transaction, string[] tables, CancellationToken ct)
    {
        var definitions = new List<(string Name, string Sql)>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({string.Join(", ", tables.Select(t => $"'{t}'"))}) ORDER BY name";
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                definitions.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        await using var drop = connection.CreateCommand();
        drop.Transaction = transaction;
        foreach (var (name, _) in definitions)
        {
            drop.CommandText = $"DROP INDEX \"{name}\"";
            await drop.ExecuteNonQueryAsync(ct);
        }

        return [.. definitions.Select(d => d.Sql)];
    }

    public static async Task CreateAsync(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<string> definitions, CancellationToken ct)
    {
        await using var create = connection.CreateCommand();
        create.Transaction = transaction;
        foreach (var sql in definitions)
        {
            create.CommandText = sql;
            await create.ExecuteNonQueryAsync(ct);
        }
    }
}
