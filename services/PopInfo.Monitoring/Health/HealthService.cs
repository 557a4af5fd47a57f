using Microsoft.Extensions.Options;

namespace PopInfo.Monitoring.Health;

/// <summary>The platform's health now: every watched service and the broker asked at once.</summary>
public sealed class HealthService(ServiceProbe services, BrokerProbe broker, DatabaseMonitorStore database, IOptions<MonitoringOptions> options,
    TimeProvider clock)
{
    public async Task<PlatformHealth> NowAsync(CancellationToken ct)
    {
        var takenAt = clock.GetUtcNow();
        var probes = options.Value.Watched.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => services.ProbeAsync(s.Key, s.Value, ct)).ToList();
        var brokerProbe = broker.ProbeAsync(ct);
        var databaseProbe = DatabaseAsync(ct);
        return new PlatformHealth(takenAt, await Task.WhenAll(probes), await brokerProbe, await databaseProbe);
    }

    private async Task<DatabaseHealth?> DatabaseAsync(CancellationToken ct)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.DatabaseConnectionString))
        {
            return null;
        }

        return await database.ProbeAsync(settings.DatabaseConnectionString, settings.ProbeTimeout, ct);
    }
}
