namespace PopInfo.ServiceDefaults.Security.RateLimits;

/// <summary>
/// The fixed window a moment falls in: windows of <c>length</c> seconds counted from the Unix epoch, so every instance
/// of a service puts the same moment in the same window (their clocks kept by NTP) without asking the database's clock.
/// </summary>
public readonly record struct FixedWindow(long Start, long End)
{
    public static FixedWindow At(DateTimeOffset now, TimeSpan length)
    {
        var seconds = (long)length.TotalSeconds;
        var start = now.ToUnixTimeSeconds() / seconds * seconds;
        return new FixedWindow(start, start + seconds);
    }

    /// <summary>Whole seconds until the window ends, at least one: the answer's <c>Retry-After</c>.</summary>
    public int SecondsLeft(DateTimeOffset now) =>
        (int)Math.Max(1, Math.Ceiling((DateTimeOffset.FromUnixTimeSeconds(End) - now).TotalSeconds));
}
