using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Analytics.Protection;

/// <summary>The record keys' secret as kept in the service's database (<c>cell_key_secret</c>, one row), protected by the caller.</summary>
public sealed class CellKeySecretStore([FromKeyedServices(AnalyticsModule.Name)] ServiceDatabase database)
{
    /// <summary>
    /// Keeps <paramref name="protectedSecret"/> unless a secret is kept already, and answers the one kept. Two instances
    /// starting together: the first insert wins and both read it back.
    /// </summary>
    public async Task<string> KeepAsync(string protectedSecret, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(KeepSql(database.Dialect), new { secret = protectedSecret, now }, cancellationToken: ct));
        return (await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT secret FROM cell_key_secret WHERE id = 1", cancellationToken: ct)))!;
    }

    internal static string KeepSql(SqlDialect dialect) => dialect.Upsert("cell_key_secret", "id, secret, created_at", "(1, @secret, @now)", keys: "id");
}
