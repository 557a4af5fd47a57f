using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>The database driver's metrics and spans for the platform's telemetry (<see cref="Telemetry"/>): Npgsql's (SQLite has none).</summary>
public static class DatabaseTelemetry
{
    public static MeterProviderBuilder AddDatabaseInstrumentation(this MeterProviderBuilder metrics) => metrics.AddNpgsqlInstrumentation();

    public static TracerProviderBuilder AddDatabaseInstrumentation(this TracerProviderBuilder tracing) => tracing.AddNpgsql();
}
