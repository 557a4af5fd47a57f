using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// The streaming replica's state as the reads found it (<see cref="ReplicaAvailability"/>): Degraded while it is away — its
/// reads are answered by the primary, so the service stays ready — Healthy when it takes them.
/// It asks nothing of the replica itself: the reads do, and the first one after the back-off tries it again.
/// </summary>
internal sealed class ReplicaHealthCheck(ReplicaAvailability? availability) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(availability switch
        {
            null => HealthCheckResult.Healthy("no replica: the reads go to the primary"),
            { AwaySince: { } since } => new HealthCheckResult(context.Registration.FailureStatus,
                $"{availability.ServiceName} replica away since {since:O}: its reads go to the primary"),
            _ => HealthCheckResult.Healthy($"{availability.ServiceName} replica takes the reads"),
        });
}
