using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// The streaming replica's state as the reads and the lag's watcher found it (<see cref="ReplicaAvailability"/>): Degraded
/// while it is away or too far behind — its reads are answered by the primary, so the service stays ready — Healthy when
/// it takes them. It asks nothing of the replica itself: the reads and <see cref="ReplicaLagWatcher"/> do.
/// </summary>
internal sealed class ReplicaHealthCheck(ReplicaAvailability? availability) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(availability switch
        {
            null => HealthCheckResult.Healthy("no replica: the reads go to the primary"),
            { AwaySince: { } since } => new HealthCheckResult(context.Registration.FailureStatus,
                $"{availability.ServiceName} replica away since {since:O}: its reads go to the primary"),
            { LaggingSince: { } since } => new HealthCheckResult(context.Registration.FailureStatus,
                $"{availability.ServiceName} replica {availability.Behind.TotalSeconds:0.0} s behind the primary (too far since {since:O}): its reads go to the primary"),
            _ => HealthCheckResult.Healthy($"{availability.ServiceName} replica takes the reads"),
        });
}
