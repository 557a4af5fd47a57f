using PopInfo.Domain.Sharing;
using PopInfo.Domain.Statistics;

namespace PopInfo.Sharing.Grants;

/// <summary>
/// A department's daily quota: items (each item of a batch counts) per China day (UTC+8, <see cref="ChinaTime"/>), the
/// day's count kept in the database so every instance shares it. What the operations call before they answer.
/// </summary>
public sealed class DailyQuota(QuotaStore store, TimeProvider clock)
{
    /// <summary>
    /// Counts <paramref name="items"/> against the department's quota for today in China, all or none: refused (nothing
    /// counted) when they would take the day past the quota, or when the department has no active grant.
    /// </summary>
    public async Task<QuotaDecision> TryConsumeAsync(string department, int items, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(items);
        var now = clock.GetUtcNow();
        var day = ChinaTime.DateOf(now);
        var used = await store.TryConsumeAsync(department, day, items, ct);
        if (used is { } total)
        {
            return new QuotaDecision(department, day, true, total, null, 0);
        }

        var (usedSoFar, quota, active) = await store.UsageAsync(department, day, ct);
        return new QuotaDecision(department, day, false, usedSoFar, active ? quota : null, SecondsToNextDay(now));
    }

    /// <summary>Today's use (China day) of a department, for its own usage page.</summary>
    public async Task<QuotaUsage?> UsageAsync(string department, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var day = ChinaTime.DateOf(now);
        var (used, quota, _) = await store.UsageAsync(department, day, ct);
        return quota is { } q
            ? new QuotaUsage(department, day, used, q, Math.Max(0, q - used), ChinaTime.StartOf(day.AddDays(1)))
            : null;
    }

    /// <summary>Whole seconds until the next midnight in China, at least one: when a refused department may try again.</summary>
    public static int SecondsToNextDay(DateTimeOffset now) =>
        (int)Math.Max(1, Math.Ceiling((ChinaTime.StartOf(ChinaTime.DateOf(now).AddDays(1)) - now).TotalSeconds));

    /// <summary>The rule a refusal names (<see cref="GrantRules.DailyQuota"/>).</summary>
    public const string Rule = GrantRules.DailyQuota;
}

/// <summary>
/// What counting against the quota decided: allowed (with the day's new total), or refused with the total so far, the
/// quota (null: no active grant, which the operations refuse before they count) and the seconds until the next China day.
/// </summary>
public sealed record QuotaDecision(string Department, DateOnly Day, bool Allowed, long Used, int? Quota, int RetryAfterSeconds);

/// <summary>A department's use of its quota on one China day; <c>resetsAt</c> is the next midnight in China.</summary>
public sealed record QuotaUsage(string ClientId, DateOnly Day, long Used, int DailyQuota, long Remaining, DateTimeOffset ResetsAt);
