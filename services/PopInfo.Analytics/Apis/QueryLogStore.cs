using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Analytics.Apis;

/// <summary>The query log's SQL (<see cref="QueryLog.Table"/>, append-only): one row per query, and the latest rows.</summary>
public sealed class QueryLogStore([FromKeyedServices(AnalyticsModule.Name)] ServiceDatabase database)
{
    public async Task AppendAsync(DateTimeOffset at, string caller, string kind, string query, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO query_log (at, caller, kind, query) VALUES (@at, @caller, @kind, @query)",
            new { at, caller, kind, query }, cancellationToken: ct));
    }

    /// <summary>The latest <paramref name="limit"/> rows, newest first.</summary>
    public async Task<IReadOnlyList<QueryLog.Row>> LatestAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return [.. await connection.QueryAsync<QueryLog.Row>(new CommandDefinition(LatestSql(database.Dialect), new { limit }, cancellationToken: ct))];
    }

    internal static string LatestSql(SqlDialect dialect) => $"SELECT at, caller, kind, query FROM query_log ORDER BY id DESC{dialect.Limit("@limit")}";
}
