using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Monitoring.Assessment;

/// <summary>Timeliness and assessment in the monitoring service: one line each in <see cref="MonitoringModule"/>.</summary>
public static class AssessmentRegistration
{
    /// <summary>The sources' clients, with the monitoring service's own token and its scopes (<c>collection.monitor</c>, <c>exchange.monitor</c>).</summary>
    public static IHostApplicationBuilder AddAssessment(this IHostApplicationBuilder builder)
    {
        var watched = (builder.Configuration.GetSection(MonitoringOptions.Section).Get<MonitoringOptions>() ?? new MonitoringOptions()).Watched;
        var collection = watched.GetValueOrDefault(CollectionFactsClient.Source) ?? MonitoringOptions.LocalServices[CollectionFactsClient.Source];
        var exchange = watched.GetValueOrDefault(ExchangeFactsClient.Source) ?? MonitoringOptions.LocalServices[ExchangeFactsClient.Source];
        builder.Services.AddHttpClient<CollectionFactsClient>(http => http.BaseAddress = collection)
            .AddServiceToken(MonitoringModule.Name, PlatformScopes.CollectionMonitor);
        builder.Services.AddHttpClient<ExchangeFactsClient>(http => http.BaseAddress = exchange)
            .AddServiceToken(MonitoringModule.Name, PlatformScopes.ExchangeMonitor);
        builder.Services.AddTransient<AssessmentService>(sp => new(sp.GetRequiredService<CollectionFactsClient>(), sp.GetRequiredService<ExchangeFactsClient>(), RegionCatalogue.Wuxi));
        return builder;
    }
}
