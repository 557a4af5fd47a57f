namespace PopInfo.Domain.Monitoring;

/// <summary>How a rule compares a sample with its threshold.</summary>
public static class AlertComparison
{
    /// <summary>The condition holds while the value is greater than the threshold.</summary>
    public const string Above = "above";

    /// <summary>The condition holds while the value is less than the threshold.</summary>
    public const string Below = "below";

    public static IReadOnlyList<string> All { get; } = [Above, Below];

    public static bool Holds(string comparison, double threshold, double value) => comparison switch
    {
        Above => value > threshold,
        Below => value < threshold,
        _ => throw new ArgumentOutOfRangeException(nameof(comparison), comparison, "A comparison is 'above' or 'below'."),
    };
}

/// <summary>The severities of alert rules.</summary>
public static class AlertSeverity
{
    public const string Warning = "warning";
    public const string Critical = "critical";

    public static IReadOnlyList<string> All { get; } = [Warning, Critical];
}

/// <summary>One sample of a subject's metric: when it was taken and its value.</summary>
public readonly record struct SamplePoint(DateTimeOffset TakenAt, double Value);

/// <summary>
/// What the samples of one subject say about one rule at a moment (ADR 0004 decision 5): whether the condition holds now,
/// since when it has held without a break, and whether it has held for the rule's duration (the alert fires).
/// </summary>
public sealed record ConditionState(bool Known, bool Holds, DateTimeOffset? HeldSince, double? LastValue, DateTimeOffset? LastTakenAt)
{
    /// <summary>True when the condition has held for at least <paramref name="duration"/> at <paramref name="now"/>.</summary>
    public bool HasHeldFor(TimeSpan duration, DateTimeOffset now) => Holds && HeldSince is { } since && now - since >= duration;
}

/// <summary>
/// The evaluation of a rule's condition over stored samples, with no state of its own: the same samples give the same
/// answer on any instance and after any restart, so a monitoring outage delays an alert but loses no condition.
/// </summary>
public static class AlertCondition
{
    /// <summary>
    /// Evaluates <paramref name="samples"/> (any order) of one subject. The condition holds when the latest sample meets it
    /// and that sample is not older than <paramref name="staleAfter"/> at <paramref name="now"/>; it has held since the
    /// earliest sample of the unbroken run of samples meeting it that ends at the latest. A gap in the samples (the
    /// monitoring service was down) does not break a run: nothing was seen to contradict it. A stale latest sample makes
    /// the state unknown (<see cref="ConditionState.Known"/> false): the source stopped answering, which is not recovery.
    /// </summary>
    public static ConditionState Evaluate(IEnumerable<SamplePoint> samples, string comparison, double threshold, DateTimeOffset now, TimeSpan staleAfter)
    {
        var ordered = samples.Where(s => s.TakenAt <= now).OrderByDescending(s => s.TakenAt).ToList();
        if (ordered.Count == 0)
        {
            return new ConditionState(false, false, null, null, null);
        }

        var latest = ordered[0];
        if (now - latest.TakenAt > staleAfter)
        {
            return new ConditionState(false, false, null, latest.Value, latest.TakenAt);
        }

        if (!AlertComparison.Holds(comparison, threshold, latest.Value))
        {
            return new ConditionState(true, false, null, latest.Value, latest.TakenAt);
        }

        var since = latest.TakenAt;
        foreach (var sample in ordered.Skip(1))
        {
            if (!AlertComparison.Holds(comparison, threshold, sample.Value))
            {
                break;
            }

            since = sample.TakenAt;
        }

        return new ConditionState(true, true, since, latest.Value, latest.TakenAt);
    }
}
