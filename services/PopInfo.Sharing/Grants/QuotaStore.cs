using Dapper;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.Sharing.Grants;

/// <summary>The daily quota counters, <c>quota_days</c>: items used per department (client id) and China day.</summary>
public sealed class QuotaStore([FromKeyedServices(SharingModule.Name)] ServiceDatabase database)
{
    // One statement: adds the items only while the day's total stays within the active grant's quota, and returns the
    // new total; no row returned means refused (over the quota, or no active grant). Atomic in PostgreSQL (the
    // conflicting row is locked, the WHERE re-checked on it) and in SQLite (one writer). SQLite needs the SELECT's WHERE
    // to read ON CONFLICT as the upsert's.
    private const string Consume = """
        INSERT INTO quota_days (client_id, day, used)
        SELECT client_id, @day, @items FROM grants WHERE client_id = @clientId AND status = 'active' AND @items <= daily_quota
        ON CONFLICT (client_id, day) DO UPDATE SET used = quota_days.used + excluded.used
        WHERE quota_days.used + excluded.used <= (SELECT daily_quota FROM grants WHERE client_id = @clientId AND status = 'active')
        RETURNING used
        """;

    /// <summary>Adds <paramref name="items"/> to the day's count if the grant's quota allows; the new total, or null when refused.</summary>
    public async Task<long?> TryConsumeAsync(string clientId, DateOnly day, int items, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(Consume, new { clientId, day, items }, cancellationToken: ct));
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
