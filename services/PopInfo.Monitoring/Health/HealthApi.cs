using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Monitoring.Dashboard;

namespace PopInfo.Monitoring.Health;

/// <summary>The platform's health for operators: <c>GET /api/v1/health</c> (docs/monitoring.md).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Health").WithGroupName(MonitoringModule.Name);
        group.MapGet("/health", GetPlatformHealth).WithName("monitoring-platform-health")
            .WithSummary("Every watched service's liveness, readiness and version, and the broker's nodes, alarms and queues.")
            .RequireOperator();
        return app;
    }

    public static async Task<Ok<PlatformHealth>> GetPlatformHealth(HealthService health, CancellationToken ct) =>
        TypedResults.Ok(await health.NowAsync(ct));
}
