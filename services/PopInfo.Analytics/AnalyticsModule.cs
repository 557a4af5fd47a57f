using PopInfo.Analytics.Apis;
using PopInfo.Analytics.Dashboard;
using PopInfo.Analytics.Engine;
using PopInfo.Analytics.Projection;
using PopInfo.Analytics.Protection;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security;
using PopInfo.ServiceDefaults.Security.RateLimits;

namespace PopInfo.Analytics;

/// <summary>
/// Online decision analysis (在线决策分析): any population table, indicators and monthly series, as of any date on
/// either of the register's two times, kept current from the registry's events and protected by the cell-key method
/// before anything leaves (docs/analytics.md).
/// </summary>
public static class AnalyticsModule
{
    public const string Name = "analytics";
    public const int Port = 5105;

    public static readonly ServiceInfo Info = new(Name, "online decision analysis", "Aggregate population statistics for planners.", Port);

    /// <summary>Requests to the open-data tables per remote address: 120 a minute, setting <c>PopInfo:RateLimits:AnalyticsOpenData</c>.</summary>
    public static readonly RateLimitPolicy OpenDataRequests = new("analytics.open-data", "AnalyticsOpenData", 120, TimeSpan.FromMinutes(1),
        http => RateLimitPolicy.AddressKey(http.Connection.RemoteIpAddress));

    /// <summary>
    /// Tables, indicators, comparisons and series per caller (a program's token, or a planner through the dashboard): 1,200 an
    /// hour, setting <c>PopInfo:RateLimits:AnalyticsTables</c>. A city-wide table costs both cores for a tenth of a second,
    /// and a differencing campaign needs many tables (docs/analytics.md).
    /// </summary>
    public static readonly RateLimitPolicy TableRequests = new("analytics.tables", "AnalyticsTables", 1200, TimeSpan.FromHours(1), RateLimitPolicy.CallerKey);

    public static IHostApplicationBuilder AddAnalytics(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(Name, typeof(AnalyticsModule).Assembly, auditTables: [QueryLog.Table, DataProtectionKeyStore.Table]);
        builder.AddSecretProtection(Name);
        builder.AddOpenApiDocument(Name, "PopInfo analytics — online decision analysis");
        builder.AddPlatformAuthentication(Name);
        // Planners sign in to the dashboard at the identity provider; its session and sign-in state on the service's key ring.
        builder.AddSessionKeyRing(Name);
        builder.AddDashboardAuthentication();
        builder.AddRateLimits(Name, OpenDataRequests, TableRequests);
        builder.Services.AddOptions<AnalyticsOptions>().Bind(builder.Configuration.GetSection(AnalyticsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(AnalyticsOptions.Section).Get<AnalyticsOptions>() ?? new AnalyticsOptions();

        builder.Services.AddSingleton(_ => new Categories(RegionCatalogue.Wuxi));
        builder.Services.AddSingleton<CellKeySecretStore>();
        builder.Services.AddSingleton<CellKeySecret>();
        builder.Services.AddSingleton(sp => new RecordKeys(sp.GetRequiredService<CellKeySecret>()));
        builder.Services.AddSingleton(_ => new Disclosure(new CellKeyPerturbation(options.SmallCellThreshold, options.MaxNoise, options.NoiseSigma)));
        builder.Services.AddSingleton(sp => new PopulationIndex(sp.GetRequiredService<Categories>(), sp.GetRequiredService<RecordKeys>(), options.DayViews));
        builder.Services.AddSingleton<ProjectionWatermark>();
        builder.Services.AddSingleton<ProjectionReadiness>();
        builder.Services.AddSingleton<FactStore>();
        builder.Services.AddSingleton<IndexFollower>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IndexFollower>());
        builder.Services.AddSingleton<Projector>();
        builder.Services.AddSingleton<TableService>();
        builder.Services.AddSingleton<IndicatorService>();
        builder.Services.AddSingleton<SeriesService>();
        builder.Services.AddSingleton<QueryLogStore>();
        builder.Services.AddSingleton<QueryLog>();
        builder.AddRegistryProjection<RegistryReader, ProjectionService, PersonChangedConsumer>(
            Name, options.RegistryUrl, PersonChangedConsumer.QueueName, PersonChangedConsumer.BatchSize);
        builder.Services.AddReadinessCheck<ProjectionHealthCheck>("analytics-projection");
        builder.Services.AddSingleton<Reconciler>();
        builder.Services.AddHostedService<ReconciliationSchedule>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder app)
    {
        Info.MapServiceInfo(app);
        app.MapTablesApi();
        app.MapProjectionApi();
        app.MapOpenDataApi();
        app.MapDashboardSessionApi();
        app.MapDashboard();
        return app;
    }
}

/// <summary>Names the analytics service's assembly for test hosts.</summary>
public sealed class AnalyticsEntryPoint;
