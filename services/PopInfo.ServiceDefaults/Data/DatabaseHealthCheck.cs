using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>Ready only when the service's database answers a query.</summary>
internal sealed class DatabaseHealthCheck(ServiceDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy($"{database.ServiceName} database answers");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"{database.ServiceName} database does not answer: {ex.Message}");
        }
    }
}
