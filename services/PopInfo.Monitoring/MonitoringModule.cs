using PopInfo.Monitoring.Audit;
using PopInfo.Monitoring.Health;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Monitoring;

/// <summary>
/// Monitoring management (监控管理, issue 12, ADR 0004). Built so far: the platform's health now — every watched service's
/// liveness, readiness and version, and the broker from its management API — for operators. To come: samples kept,
/// flow, alerts, timeliness and assessment, data quality, audit search, the dashboard.
/// </summary>
public static class MonitoringModule
{
    public const string Name = "monitoring";
    public const int Port = 5106;

    public static readonly ServiceInfo Info = new(Name, "monitoring management", "Health, delivery lag, data quality and audit for the platform's operators.", Port);

    public static IHostApplicationBuilder AddMonitoring(this IHostApplicationBuilder builder)
    {
        builder.AddOpenApiDocument(Name, "PopInfo monitoring — monitoring management");
        builder.AddPlatformAuthentication(Name);
        builder.Services.AddOptions<MonitoringOptions>().Bind(builder.Configuration.GetSection(MonitoringOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.ProbeTimeout > TimeSpan.Zero && o.ProbeTimeout <= TimeSpan.FromMinutes(1), "PopInfo:Monitoring:ProbeTimeout is above 0 and at most a minute.")
            .ValidateOnStart();

        // Probes ask once and say what they saw: no retries (the defaults' pipeline would retry a down service for 30 s).
#pragma warning disable EXTEXP0001
        foreach (var service in (builder.Configuration.GetSection(MonitoringOptions.Section).Get<MonitoringOptions>() ?? new MonitoringOptions()).Watched.Keys)
        {
            builder.Services.AddHttpClient(ServiceProbe.ClientName(service)).RemoveAllResilienceHandlers();
        }

        builder.Services.AddHttpClient(BrokerProbe.ClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<ServiceProbe>();
        builder.Services.AddSingleton<BrokerProbe>();
        builder.Services.AddSingleton<DatabaseMonitorStore>();
        builder.Services.AddSingleton<HealthService>();
        builder.AddAuditSearch();
        return builder;
    }

    public static IEndpointRouteBuilder MapMonitoring(this IEndpointRouteBuilder app)
    {
        Info.MapServiceInfo(app);
        app.MapHealthApi();
        app.MapAuditSearchApi();
        return app;
    }
}

/// <summary>Names the monitoring service's assembly for test hosts.</summary>
public sealed class MonitoringEntryPoint;
