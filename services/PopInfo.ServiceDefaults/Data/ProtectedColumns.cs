using Dapper;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>The SQL of <see cref="Security.SecretProtector.EncryptClearValuesAsync"/>: rewrites a column's values in place, row by row.</summary>
public static class ProtectedColumns
{
    /// <summary>
    /// Rewrites the non-null values of <paramref name="table"/>.<paramref name="column"/> that <paramref name="rewrite"/>
    /// answers a new value for (null: left as is), rows named by <paramref name="keyColumn"/>; returns how many. Each row
    /// only if it still holds the value read: another instance, or a new value written meanwhile, may have changed it.
    /// </summary>
    public static async Task<int> RewriteAsync(ServiceDatabase database, string table, string keyColumn, string column, Func<string, string?> rewrite, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(string Key, string Value)>(new CommandDefinition(
            $"SELECT {keyColumn}, {column} FROM {table} WHERE {column} IS NOT NULL", cancellationToken: ct));
        var rewritten = 0;
        foreach (var (key, clear) in rows)
        {
            if (rewrite(clear) is not { } stored)
            {
                continue;
            }

            rewritten += await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE {table} SET {column} = @stored WHERE {keyColumn} = @key AND {column} = @clear",
                new { key, clear, stored }, cancellationToken: ct));
        }

        return rewritten;
    }
}
