using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PopInfo.Analytics.Projection;

/// <summary>
/// Readiness: degraded (still answering 200) while the index is loading or a rebuild reads the snapshot — tables then
/// answer from what is loaded so far — so that a long rebuild does not take the service out of rotation; healthy once ready.
/// </summary>
public sealed class ProjectionHealthCheck(ProjectionReadiness readiness, ProjectionService projection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady
            ? HealthCheckResult.Healthy($"projection ready, {projection.SecondsBehind:0} s behind the registry")
            : HealthCheckResult.Degraded("the projection is loading or rebuilding"));
}
