using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PopInfo.Sharing.People;

/// <summary>
/// Readiness: degraded (still answering 200) while the read model is built from the registry's snapshot — the operations
/// answer 503 meanwhile — so that a long rebuild does not take the service out of rotation; healthy once built.
/// </summary>
public sealed class ReadModelHealthCheck(PeopleReadiness readiness, PeopleProjection projection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady
            ? HealthCheckResult.Healthy($"read model ready, {projection.SecondsBehind:0} s behind the registry")
            : HealthCheckResult.Degraded("the read model is being built"));
}
