using PopInfo.Domain.Regions;
using PopInfo.Monitoring.Alerts;
using PopInfo.Monitoring.Assessment;
using PopInfo.Monitoring.Audit;
using PopInfo.Monitoring.Dashboard;
using PopInfo.Monitoring.Flow;
using PopInfo.Monitoring.Health;
using PopInfo.Monitoring.Leadership;
using PopInfo.Monitoring.Notifications;
using PopInfo.Monitoring.Samples;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Monitoring;

/// <summary>
/// Monitoring management (监控管理, issue 12, ADR 0004). Built so far: the platform's health now — every watched service's
/// liveness, readiness and version, the broker from its management API, PostgreSQL by a pg_monitor role — for operators;
/// samples of health, flow (the registry's relay, every department, the read models) and data-quality counts kept over
/// time by one loop on the instance holding the lease; alert rules evaluated over the samples, alerts with their signed
/// webhook notifications (an outbox) and acknowledgements; the dashboard at <c>/monitor</c> for operators and auditors.
/// </summary>
public static class MonitoringModule
{
    public const string Name = "monitoring";
    public const int Port = 5106;

    public static readonly ServiceInfo Info = new(Name, "monitoring management", "Health, delivery lag, data quality and audit for the platform's operators.", Port);

    public static IHostApplicationBuilder AddMonitoring(this IHostApplicationBuilder builder)
    {
        // Insert-only for the runtime role: the operators' trail, and the key ring (keys are only ever added).
        builder.AddServiceDatabase(Name, typeof(MonitoringModule).Assembly, auditTables: [OperatorActions.Table.Name, DataProtectionKeyStore.Table]);
        // The dashboard's session cookies and sign-in state on the service's key ring in its database (all instances).
        builder.AddSecretProtection(Name);
        builder.AddSessionKeyRing(Name);
        builder.AddOpenApiDocument(Name, "PopInfo monitoring — monitoring management");
        builder.AddPlatformAuthentication(Name);
        // The dashboard at /monitor: operators and auditors sign in at the identity provider (docs/monitoring.md, "Dashboard").
        builder.AddMonitorAuthentication();
        builder.Services.AddOptions<MonitoringOptions>().Bind(builder.Configuration.GetSection(MonitoringOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.ProbeTimeout > TimeSpan.Zero && o.ProbeTimeout <= TimeSpan.FromMinutes(1), "PopInfo:Monitoring:ProbeTimeout is above 0 and at most a minute.")
            .Validate(o => o.SampleInterval >= TimeSpan.FromMilliseconds(100) && o.SampleInterval <= TimeSpan.FromMinutes(1),
                "PopInfo:Monitoring:SampleInterval is 0.1 s to a minute (an alert fires at most one interval after its duration).")
            .Validate(o => o.QualityInterval >= TimeSpan.FromSeconds(1), "PopInfo:Monitoring:QualityInterval is at least a second.")
            .Validate(o => o.ClearingInterval >= TimeSpan.FromSeconds(1), "PopInfo:Monitoring:ClearingInterval is at least a second.")
            .Validate(o => o.SampleRetention >= TimeSpan.FromDays(1), "PopInfo:Monitoring:SampleRetention is at least a day.")
            .Validate(o => o.NotificationUrl is null || o.NotificationUrl.Scheme is "https" or "http" && NotificationSecretIsSound(o.NotificationSecret),
                "PopInfo:Monitoring:NotificationSecret is whsec_ + base64 of at least 24 bytes when NotificationUrl is set.")
            .ValidateOnStart();

        // Probes ask once and say what they saw: no retries (the defaults' pipeline would retry a down service for 30 s).
#pragma warning disable EXTEXP0001
        var settings = MonitoringOptions.From(builder.Configuration);
        foreach (var service in settings.Watched.Keys)
        {
            builder.Services.AddHttpClient(ServiceProbe.ClientName(service)).RemoveAllResilienceHandlers();
        }

        builder.Services.AddHttpClient(BrokerProbe.ClientName).RemoveAllResilienceHandlers();

        // The services' status endpoints, each with the monitoring client's token of that service's scope; no retries either.
        var watched = settings.Watched;
        foreach (var (source, scope) in FlowSources.Scopes)
        {
            var service = source == "registry-quality" ? "registry" : source;
            if (watched.TryGetValue(service, out var address))
            {
                builder.Services.AddHttpClient(FlowSources.ClientName(source), http => http.BaseAddress = address)
                    .RemoveAllResilienceHandlers().AddServiceToken(Name, scope);
            }
        }

        // One attempt per tick: the relay's own backoff decides when the next comes.
        builder.Services.AddHttpClient(NotificationRelay.ClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<ServiceProbe>();
        builder.Services.AddSingleton<BrokerProbe>();
        builder.Services.AddSingleton<DatabaseMonitorStore>();
        builder.Services.AddSingleton<HealthService>();
        builder.Services.AddSingleton(RegionCatalogue.Wuxi);
        builder.Services.AddSingleton<FlowSources>();
        builder.Services.AddSingleton<DeskClearingSource>();
        builder.Services.AddSingleton<SampleStore>();
        builder.Services.AddSingleton<AlertStore>();
        builder.Services.AddSingleton<AlertEvaluator>();
        builder.Services.AddSingleton<AlertService>();
        builder.Services.AddSingleton<NotificationStore>();
        builder.Services.AddSingleton<NotificationRelay>();
        builder.Services.AddSingleton<LeaderLease>();
        builder.Services.AddSingleton<FlowService>();
        builder.Services.AddSingleton<MonitoringLoop>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MonitoringLoop>());
        builder.AddAssessment();
        builder.AddAuditSearch();
        return builder;
    }

    public static IEndpointRouteBuilder MapMonitoring(this IEndpointRouteBuilder app)
    {
        Info.MapServiceInfo(app);
        app.MapHealthApi();
        app.MapFlowApi();
        app.MapAlertsApi();
        app.MapAssessmentApi();
        app.MapAuditSearchApi();
        app.MapMonitorSessionApi();
        app.MapMonitorPage();
        return app;
    }

    private static bool NotificationSecretIsSound(string? secret)
    {
        if (secret is null || !secret.StartsWith(ServiceDefaults.Webhooks.WebhookSignature.SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var key = new byte[secret.Length];
        return Convert.TryFromBase64String(secret[ServiceDefaults.Webhooks.WebhookSignature.SecretPrefix.Length..], key, out var length) && length >= 24;
    }
}

/// <summary>Names the monitoring service's assembly for test hosts.</summary>
public sealed class MonitoringEntryPoint;
