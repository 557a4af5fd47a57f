using PopInfo.Domain.Statistics;

namespace PopInfo.Domain.Monitoring;

/// <summary>
/// Daily clearing (一日一清), the desk's rules (docs/collection.md): a form belongs to the community's day (China
/// Standard Time) on which it was created; the day is cleared when none of its forms is a draft, waiting for the
/// registry, or rejected and not dealt with. The deadline of a day is the end of that day in the city (24:00 CST): a
/// day <b>cleared by the deadline</b> was closed by the collector — which the desk allows only when cleared — before it.
/// </summary>
public static class DayClearing
{
    /// <summary>Cleared: no draft, no form waiting for the registry, no rejected form not yet dealt with.</summary>
    public static bool IsCleared(int drafts, int pending, int rejected) => drafts + pending + rejected == 0;

    /// <summary>The end of the day in the city: the instant the next day begins (China Standard Time).</summary>
    public static DateTimeOffset Deadline(DateOnly day) => ChinaTime.StartOf(day.AddDays(1));

    /// <summary>Closed (hence cleared) strictly before the day's deadline.</summary>
    public static bool ClearedByDeadline(DateOnly day, DateTimeOffset? closedAt) => closedAt is { } at && at < Deadline(day);

    /// <summary>A form first submitted on its own day (the city's date of the first submission is the form's day).</summary>
    public static bool SubmittedSameDay(DateOnly day, DateTimeOffset firstSubmittedAt) => ChinaTime.DateOf(firstSubmittedAt) <= day;
}
