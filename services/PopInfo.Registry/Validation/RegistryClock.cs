namespace PopInfo.Registry.Validation;

/// <summary>"Today" in the city (China Standard Time, UTC+8, no daylight saving): a birth today is not in the future.</summary>
public static class RegistryClock
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static DateOnly Today(this TimeProvider clock) =>
        DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ChinaStandardTime).DateTime);
}
