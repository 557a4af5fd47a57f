namespace PopInfo.ServiceDefaults.Security.RateLimits;

/// <summary>
/// A limit's setting, <c>PopInfo:RateLimits:{Setting}:PermitLimit</c> and <c>…:Window</c> (named options, one per
/// <see cref="RateLimitPolicy.Name"/>): at most PermitLimit requests in each fixed window of Window.
/// </summary>
public sealed class RateLimitSetting
{
    public const string Section = "PopInfo:RateLimits";

    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }

    /// <summary>The window in whole seconds, between one second and a day.</summary>
    public bool IsValid => PermitLimit >= 1 && Window >= TimeSpan.FromSeconds(1) && Window <= TimeSpan.FromDays(1) && Window.Ticks % TimeSpan.TicksPerSecond == 0;
}
