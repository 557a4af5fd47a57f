using System.Data.Common;
using Dapper;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Sharing.Grants;

/// <summary>The daily quota counters, <c>quota_days</c>: items used per department (client id) and China day.</summary>
public sealed class QuotaStore([FromKeyedServices(SharingModule.Name)] ServiceDatabase database)
{
    // Adds the items to the day's row (made at the day's first) and returns the new total, in the caller's transaction:
    // the access audit's batch, so that items are counted exactly when their audit rows are stored.
    private readonly string add = AddSql(database.Dialect);

    internal static string AddSql(SqlDialect dialect) => dialect.Upsert("quota_days", "client_id, day, used", "(@clientId, @day, @items)",
        keys: "client_id, day", update: "used = quota_days.used + excluded.used", returning: "used");

    /// <summary>Adds <paramref name="items"/> to a department's day in the caller's transaction; the day's new total.</summary>
    public Task<long> AddAsync(DbConnection connection, DbTransaction transaction, string clientId, DateOnly day, long items, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(add, new { clientId, day, items }, transaction, cancellationToken: ct));

    /// <summary>
    /// Writes the departments' counts (<see cref="DepartmentUsage.TakeUnwritten"/>) in the access audit's transaction: each
    /// department's rate-window hits and each day's items; each row's new total in the write's order.
    /// </summary>
    internal async Task<UsageTotals> WriteUsageAsync(DbConnection connection, DbTransaction transaction, UsageWrite write, CancellationToken ct)
    {
        var hitTotals = new List<long>(write.Hits.Count);
        foreach (var hits in write.Hits)
        {
            hitTotals.Add(await RateLimitCounterStore.AddHitsAsync(connection, transaction, database.Dialect, SharingModule.GrantRequests, hits.Department, hits.Window, hits.Hits, ct));
        }

        var dayTotals = new Dictionary<(string, DateOnly), long>();
        foreach (var items in write.Days)
        {
            dayTotals[(items.Department, items.Day)] = await AddAsync(connection, transaction, items.Department, items.Day, items.Items, ct);
        }

        return new UsageTotals(hitTotals, dayTotals);
    }

    /// <summary>The items a department has used on a day (every instance's commits).</summary>
    public async Task<long> UsedAsync(string clientId, DateOnly day, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT used FROM quota_days WHERE client_id = @clientId AND day = @day", new { clientId, day }, cancellationToken: ct)) ?? 0;
    }

    /// <summary>The items a department has used on a day, its grant's quota (null: no grant) and whether the grant is active.</summary>
    public async Task<(long Used, int? Quota, bool Active)> UsageAsync(string clientId, DateOnly day, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<UsageRow>(new CommandDefinition(
            "SELECT g.daily_quota AS Quota, g.status AS Status, (SELECT q.used FROM quota_days q WHERE q.client_id = @clientId AND q.day = @day) AS Used " +
            "FROM grants g WHERE g.client_id = @clientId", new { clientId, day }, cancellationToken: ct));
        return row is null ? (0, null, false) : (row.Used ?? 0, row.Quota, row.Status == GrantStatus.Active);
    }

    private sealed class UsageRow
    {
        public int Quota { get; init; }
        public string Status { get; init; } = "";
        public long? Used { get; init; }
    }
}
