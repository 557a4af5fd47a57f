namespace PopInfo.Testing;

/// <summary>
/// The in-process hosts' rate limits: far above what any suite sends to one host (the poison tests alone make about
/// 1,800 requests, and every request of a registry host carries the same token). A test of the limits passes its own
/// small ones in the host's settings, which are applied after these. Processes (<see cref="ServiceProcess"/>) keep the defaults.
/// </summary>
public static class TestRateLimits
{
    public static IReadOnlyDictionary<string, string?> Generous { get; } = new Dictionary<string, string?>
    {
        ["PopInfo:RateLimits:SignInAccount:PermitLimit"] = "1000000",
        ["PopInfo:RateLimits:SignInAddress:PermitLimit"] = "1000000",
        ["PopInfo:RateLimits:RegistryLookUp:PermitLimit"] = "1000000",
        ["PopInfo:RateLimits:CollectionLookUp:PermitLimit"] = "1000000",
        ["PopInfo:RateLimits:ExchangeDepartment:PermitLimit"] = "1000000",
        ["PopInfo:RateLimits:AnalyticsTables:PermitLimit"] = "1000000",
        ["PopInfo:RateLimits:AnalyticsOpenData:PermitLimit"] = "1000000",
    };
}
