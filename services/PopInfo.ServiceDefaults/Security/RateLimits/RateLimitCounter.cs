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
public sealed class RateLimitCounter(ServiceDatabase database, IOptionsMonitor<RateLimitSetting> settings, TimeProvider clock)
{
    private const string Hit = """
        INSERT INTO rate_limit_windows (limit_name, partition_key, window_start, expires_at, hits)
        VALUES (@limit, @key, @start, @expires, 1)
        ON CONFLICT (limit_name, partition_key, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1
        RETURNING hits
        """;

    /// <summary>Counts one request of <paramref name="key"/> against the limit; refused once the window's count passes it.</summary>
    public Task<RateLimitDecision> HitAsync(RateLimitPolicy policy, string key, CancellationToken ct) =>
        HitAsync(policy, key, settings.Get(policy.Name).PermitLimit, ct);

    /// <summary>
    /// As <see cref="HitAsync(RateLimitPolicy, string, CancellationToken)"/> with the caller's own limit for this key (a
    /// department's from its grant); the window is the policy's.
    /// </summary>
    public async Task<RateLimitDecision> HitAsync(RateLimitPolicy policy, string key, int permitLimit, CancellationToken ct)
    {
        var setting = new RateLimitSetting { PermitLimit = permitLimit, Window = settings.Get(policy.Name).Window };
        var now = clock.GetUtcNow();
        var window = FixedWindow.At(now, setting.Window);
        await using var connection = await database.OpenConnectionAsync(ct);
        var hits = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Hit,
            new { limit = policy.Name, key = Hash(key), start = window.Start, expires = window.End }, cancellationToken: ct));
        return new RateLimitDecision(policy.Name, hits <= setting.PermitLimit, hits <= setting.PermitLimit ? 0 : window.SecondsLeft(now));
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
