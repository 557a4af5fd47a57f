using Microsoft.Extensions.Options;

namespace PopInfo.Monitoring.Health;

/// <summary>The platform's health now: every watched service and the broker asked at once.</summary>
public sealed class HealthService(ServiceProbe services, BrokerProbe broker, IOptions<MonitoringOptions> options, TimeProvider clock)
{
    public async Task<PlatformHealth> NowAsync(CancellationToken ct)
    {
        var takenAt = clock.GetUtcNow();
        var probes = options.Value.Watched.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => services.ProbeAsync(s.Key, s.Value, ct)).ToList();
        var brokerProbe = broker.ProbeAsync(ct);
        return new PlatformHealth(takenAt, await Task.WhenAll(probes), await brokerProbe);
    }
}
