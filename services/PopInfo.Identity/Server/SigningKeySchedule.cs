namespace PopInfo.Identity.Server;

/// <summary>
/// When the provider's keys are made, used and dropped — the rules only, no I/O (unit-tested in
/// <c>SigningKeyScheduleTests</c>). Each use (<c>sig</c>: signs every token; <c>enc</c>: encrypts OpenIddict's own
/// codes and refresh tokens) is a line of keys, each published (and accepted) from its creation, used from its
/// activation until the next key's, and accepted until every token it made has expired: its retirement.
/// <list type="bullet">
/// <item>A successor is made <see cref="SigningKeyOptions.SigningKeyPublishAhead"/> before the current key's
/// lifetime ends, and activates at that end — never before it has been published that long, so validators that read
/// the key set now and then (hourly: the platform's services; every 12 hours: Microsoft's libraries by default)
/// know it before the first token it signs reaches them.</item>
/// <item>A key is retired <see cref="Retention"/> after its successor activated: the longest life of what it signed
/// or encrypted (a refresh token), and a margin.</item>
/// </list>
/// </summary>
public static class SigningKeySchedule
{
    public const string Signing = "sig";
    public const string Encryption = "enc";

    /// <summary>One key's times.</summary>
    public sealed record KeyTimes(string KeyId, string Use, DateTimeOffset CreatedAt, DateTimeOffset ActivateAt, DateTimeOffset? RetireAt);

    /// <summary>How long a key stays accepted after its successor took over: what it made lives at most this long.</summary>
    public static TimeSpan Retention(TimeSpan refreshTokenLifetime, TimeSpan accessTokenLifetime) =>
        Max(refreshTokenLifetime, accessTokenLifetime) + TimeSpan.FromMinutes(5);

    /// <summary>
    /// The activation time of the key to make now for one use, or null when none is due: the first key activates at
    /// once; a successor is due <paramref name="publishAhead"/> before the newest key's lifetime ends and activates at
    /// that end, or <paramref name="publishAhead"/> from now if the provider was not running when it was due.
    /// </summary>
    public static DateTimeOffset? SuccessorDue(IReadOnlyCollection<KeyTimes> keys, DateTimeOffset now, TimeSpan lifetime, TimeSpan publishAhead)
    {
        var live = keys.Where(k => k.RetireAt is null || k.RetireAt > now).ToList();
        if (live.Count == 0)
        {
            return now;
        }

        var newest = live.MaxBy(k => k.ActivateAt)!;
        var end = newest.ActivateAt + lifetime;
        if (now < end - publishAhead)
        {
            return null;
        }

        var earliest = now + publishAhead;
        return end > earliest ? end : earliest;
    }

    /// <summary>
    /// The keys of one use this instance works with now, in the order OpenIddict wants them: the one that signs (the
    /// latest activated) first, then the published ones not active yet, then the earlier ones still accepted. Retired
    /// keys are left out: a key retires at its stored time, or <paramref name="retention"/> after the next key activated.
    /// </summary>
    public static IReadOnlyList<KeyTimes> InUse(IReadOnlyCollection<KeyTimes> keys, DateTimeOffset now, TimeSpan retention)
    {
        var ordered = keys.OrderBy(k => k.ActivateAt).ThenBy(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal).ToList();
        var live = ordered.Where((k, i) => EffectiveRetirement(ordered, i, retention) is not { } retire || retire > now).ToList();
        var current = live.LastOrDefault(k => k.ActivateAt <= now) ?? live.FirstOrDefault();
        if (current is null)
        {
            return [];
        }

        return
        [
            current,
            .. live.Where(k => k.ActivateAt > now && k != current),
            .. live.Where(k => k.ActivateAt <= now && k != current).Reverse(),
        ];
    }

    /// <summary>When the key at <paramref name="index"/> of keys ordered by activation retires (null: not yet known).</summary>
    public static DateTimeOffset? EffectiveRetirement(IReadOnlyList<KeyTimes> ordered, int index, TimeSpan retention)
    {
        var key = ordered[index];
        var bySuccessor = index + 1 < ordered.Count ? ordered[index + 1].ActivateAt + retention : (DateTimeOffset?)null;
        return (key.RetireAt, bySuccessor) switch
        {
            ({ } stored, { } computed) => stored < computed ? stored : computed,
            ({ } stored, null) => stored,
            (null, var computed) => computed,
        };
    }

    /// <summary>What is wrong with the rotation settings, by setting name (empty: nothing).</summary>
    public static IReadOnlyList<string> Problems(TimeSpan lifetime, TimeSpan publishAhead)
    {
        var problems = new List<string>();
        if (publishAhead < MinimumPublishAhead || publishAhead > TimeSpan.FromDays(7))
        {
            problems.Add($"PopInfo:Identity:SigningKeyPublishAhead is {MinimumPublishAhead} to 7 days: the platform's services re-read the key set every hour, and must have read a key before it signs.");
        }

        if (lifetime < TimeSpan.FromDays(1) || lifetime > TimeSpan.FromDays(365))
        {
            problems.Add("PopInfo:Identity:SigningKeyLifetime is 1 to 365 days.");
        }
        else if (lifetime <= publishAhead)
        {
            problems.Add("PopInfo:Identity:SigningKeyLifetime is longer than PopInfo:Identity:SigningKeyPublishAhead (a key is published that long before it signs).");
        }

        return problems;
    }

    /// <summary>Twice the hour after which the platform's services re-read the issuer's key set.</summary>
    public static readonly TimeSpan MinimumPublishAhead = TimeSpan.FromHours(2);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
