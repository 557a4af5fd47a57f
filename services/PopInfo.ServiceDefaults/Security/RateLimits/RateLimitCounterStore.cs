using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.ServiceDefaults.Security.RateLimits;

/// <summary>
/// A service's rate-limit counters, in its own database (table <c>rate_limit_windows</c>, made by the service's migrations),
/// so every instance of the service counts into the same window. One statement per hit: an insert that adds one to the
/// window's row when it exists and returns the new count — atomic in PostgreSQL (the conflicting row is locked) and in
/// SQLite (one writer). Keys are stored as SHA-256 hashes: the table holds no addresses or account names.
/// </summary>
public sealed class RateLimitCounterStore(ServiceDatabase database, IOptionsMonitor<RateLimitSetting> settings, TimeProvider clock)
{
    // Atomic on SQL Server too: its MERGE holds the key's range (HOLDLOCK).
    internal static string HitSql(SqlDialect dialect) => dialect.Upsert("rate_limit_windows", "limit_name, partition_key, window_start, expires_at, hits",
        "(@limit, @key, @start, @expires, @hits)", keys: "limit_name, partition_key, window_start",
        update: "hits = rate_limit_windows.hits + excluded.hits", returning: "hits");

    /// <summary>Counts one request of <paramref name="key"/> against the limit; refused once the window's count passes it.</summary>
    public async Task<RateLimitDecision> HitAsync(RateLimitPolicy policy, string key, CancellationToken ct)
    {
        var permitLimit = settings.Get(policy.Name).PermitLimit;
        var now = clock.GetUtcNow();
        var window = WindowAt(policy, now);
        await using var connection = await database.OpenConnectionAsync(ct);
        var hits = await AddHitsAsync(connection, null, database.Dialect, policy, key, window, 1, ct);
        return new RateLimitDecision(policy.Name, hits <= permitLimit, hits <= permitLimit ? 0 : window.SecondsLeft(now));
    }

    /// <summary>The policy's window (its configured length) that <paramref name="now"/> falls in.</summary>
    public FixedWindow WindowAt(RateLimitPolicy policy, DateTimeOffset now) => FixedWindow.At(now, settings.Get(policy.Name).Window);

    /// <summary>
    /// Adds <paramref name="hits"/> requests of <paramref name="key"/> to a window, in the caller's transaction when given
    /// (a service that counts in memory and writes its counts with other work); returns the window's total.
    /// </summary>
    public static async Task<long> AddHitsAsync(DbConnection connection, DbTransaction? transaction, SqlDialect dialect, RateLimitPolicy policy, string key,
        FixedWindow window, long hits, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(HitSql(dialect),
            new { limit = policy.Name, key = Hash(key), start = window.Start, expires = window.End, hits }, transaction, cancellationToken: ct));

    /// <summary>The requests of <paramref name="key"/> counted so far in a window (every instance's).</summary>
    public async Task<long> HitsAsync(RateLimitPolicy policy, string key, FixedWindow window, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT hits FROM rate_limit_windows WHERE limit_name = @limit AND partition_key = @key AND window_start = @start",
            new { limit = policy.Name, key = Hash(key), start = window.Start }, cancellationToken: ct)) ?? 0;
    }

    /// <summary>Sign-in: the remote address's limit, then (when the address is within its own) the account name's.</summary>
    public async Task<RateLimitDecision> HitSignInAsync(HttpContext http, string? userName, CancellationToken ct)
    {
        var address = await HitAsync(RateLimitPolicy.SignInAddress, RateLimitPolicy.SignInAddress.Key!(http), ct);
        return !address.Allowed || string.IsNullOrWhiteSpace(userName)
            ? address
            : await HitAsync(RateLimitPolicy.SignInAccount, userName.Trim().ToLowerInvariant(), ct);
    }

    /// <summary>Deletes the windows that have ended (indexed on their end); returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM rate_limit_windows WHERE expires_at <= @now",
            new { now = clock.GetUtcNow().ToUnixTimeSeconds() }, cancellationToken: ct));
    }

    /// <summary>How many windows are kept (for tests).</summary>
    public async Task<long> CountWindowsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM rate_limit_windows", cancellationToken: ct));
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
