using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Monitoring.Assessment;

/// <summary>Timeliness and assessment in the monitoring service: one line each in <see cref="MonitoringModule"/>.</summary>
public static class AssessmentRegistration
{
    /// <summary>The sources' clients, with the monitoring service's own token and its scopes (<c>collection.monitor</c>, <c>exchange.monitor</c>).</summary>
    public static IHostApplicationBuilder AddAssessment(this IHostApplicationBuilder builder)
    {
        var settings = MonitoringOptions.From(builder.Configuration);
        var collection = settings.AddressOf(CollectionFactsClient.Source);
        var exchange = settings.AddressOf(ExchangeFactsClient.Source);
        builder.Services.AddHttpClient<CollectionFactsClient>(http => http.BaseAddress = collection)
            .AddServiceToken(MonitoringModule.Name, PlatformScopes.CollectionMonitor);
        builder.Services.AddHttpClient<ExchangeFactsClient>(http => http.BaseAddress = exchange)
            .AddServiceToken(MonitoringModule.Name, PlatformScopes.ExchangeMonitor);
        builder.Services.AddTransient<AssessmentService>(sp => new(sp.GetRequiredService<CollectionFactsClient>(), sp.GetRequiredService<ExchangeFactsClient>(), RegionCatalogue.Wuxi));
        return builder;
    }
}
