using PopInfo.Analytics;
using PopInfo.Collection;
using PopInfo.Exchange;
using PopInfo.Identity;
using PopInfo.Monitoring;
using PopInfo.Registry;
using PopInfo.Sharing;
using PopInfo.ServiceDefaults;

namespace PopInfo.Host;

/// <summary>The loopback ports of the embedded host: the start page and the six services, as in distributed mode.</summary>
public static class EmbeddedPorts
{
    public const int StartPage = 5100;

    public static IReadOnlyList<ServiceInfo> Services { get; } =
        [RegistryModule.Info, CollectionModule.Info, ExchangeModule.Info, SharingModule.Info, AnalyticsModule.Info, MonitoringModule.Info, IdentityModule.Info];

    /// <summary>The address to listen on: 127.0.0.1 unless PopInfo:Host:BindAddress says otherwise.</summary>
    public static string BindAddress(IConfiguration configuration) => configuration["PopInfo:Host:BindAddress"] ?? "127.0.0.1";

    public static string[] Urls(IConfiguration configuration)
    {
        var address = BindAddress(configuration);
        return [$"http://{address}:{StartPage}", .. Services.Select(s => $"http://{address}:{s.Port}")];
    }
}
