using PopInfo.ServiceDefaults;

namespace PopInfo.Monitoring;

/// <summary>monitoring management. Its capability is built by a later issue; until then it runs, answers health checks and describes itself.</summary>
public static class MonitoringModule
{
    public const string Name = "monitoring";
    public const int Port = 5106;

    public static readonly ServiceInfo Info = new(Name, "monitoring management", "Health, delivery lag, data quality and audit for the platform's operators.", Port);

    public static IHostApplicationBuilder AddMonitoring(this IHostApplicationBuilder builder)
    {
        builder.AddOpenApiDocument(Name, "PopInfo monitoring — monitoring management");
        return builder;
    }

    public static IEndpointRouteBuilder MapMonitoring(this IEndpointRouteBuilder app) => Info.MapServiceInfo(app);
}
