using PopInfo.ServiceDefaults;

namespace PopInfo.Analytics;

/// <summary>online decision analysis. Its capability is built by a later issue; until then it runs, answers health checks and describes itself.</summary>
public static class AnalyticsModule
{
    public const string Name = "analytics";
    public const int Port = 5105;

    public static readonly ServiceInfo Info = new(Name, "online decision analysis", "Aggregate population statistics for planners.", Port);

    public static IHostApplicationBuilder AddAnalytics(this IHostApplicationBuilder builder)
    {
        builder.AddOpenApiDocument(Name, "PopInfo analytics — online decision analysis");
        return builder;
    }

    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder app) => Info.MapServiceInfo(app);
}
