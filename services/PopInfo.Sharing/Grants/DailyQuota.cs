using PopInfo.Domain.Sharing;
using PopInfo.Domain.Statistics;

namespace PopInfo.Sharing.Grants;

/// <summary>
/// A department's daily quota: items (each item of a batch counts) per China day (UTC+8, <see cref="ChinaTime"/>), the
/// day's count kept in the database so every instance shares it. The operations reserve items through
/// <see cref="DepartmentUsage"/> and count them with their audit; this answers a department's own usage.
/// </summary>
public sealed class DailyQuota(QuotaStore store, TimeProvider clock)
{
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
/// What reserving against the quota decided: allowed (with the day's total counting this request), or refused with the
/// total so far, the quota and the seconds until the next China day.
/// </summary>
public sealed record QuotaDecision(string Department, DateOnly Day, bool Allowed, long Used, int? Quota, int RetryAfterSeconds)
{
    /// <summary>An allowed decision's items, held until the request's audit commits them or it releases them.</summary>
    public QuotaReservation? Reservation { get; init; }
}

/// <summary>A department's use of its quota on one China day; <c>resetsAt</c> is the next midnight in China.</summary>
public sealed record QuotaUsage(string ClientId, DateOnly Day, long Used, int DailyQuota, long Remaining, DateTimeOffset ResetsAt);
