using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PopInfo.ServiceDefaults.Data;

public static class DatabaseRegistration
{
    /// <summary>
    /// Registers the database of one service as a keyed <see cref="ServiceDatabase"/> (key = service name),
    /// migrates it before the service starts listening, and adds it to the readiness check.
    /// The service's audit tables (<paramref name="auditTables"/>): on PostgreSQL its runtime role may only SELECT
    /// and INSERT them (docs/database-roles.md).
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase(this IHostApplicationBuilder builder, string serviceName, Assembly migrations,
        IReadOnlyCollection<string>? auditTables = null)
    {
        DapperTypeHandlers.Register();
        builder.Services.AddKeyedSingleton(serviceName, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptions<PlatformOptions>>().Value.Database;
            SqlDialect dialect = options.Provider switch
            {
                DatabaseProvider.PostgreSql => PostgreSqlDialect.Create(options.ConnectionString!, serviceName),
                DatabaseProvider.SqlServer => SqlServerDialect.Create(options.ConnectionString!, serviceName),
                _ => SqliteDialect.Create(options.DataDirectory, serviceName),
            };
            // A replica only for PostgreSQL's streaming replication (docs/database-replica.md); absent: reads go to the primary.
            var replica = HasReplica(options) ? PostgreSqlDialect.Create(options.ReadConnectionString!, serviceName) : null;
            return new ServiceDatabase(serviceName, dialect, replica, replica is null ? null : new ReplicaAvailability(serviceName, options.ReplicaRetryAfter,
                sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<ReplicaAvailability>>()));
        });

        builder.Services.AddSingleton<IHostedService>(sp => new MigrationHostedService(
            sp.GetRequiredKeyedService<ServiceDatabase>(serviceName), migrations, auditTables ?? [],
            sp.GetRequiredService<IOptions<PlatformOptions>>().Value.Database, sp.GetRequiredService<ILogger<ServiceDatabase>>()));

        // Watches the replica's lag when there is one (it returns at once when there is none).
        builder.Services.AddSingleton<IHostedService>(sp => new ReplicaLagWatcher(
            sp.GetRequiredKeyedService<ServiceDatabase>(serviceName), sp.GetRequiredService<IOptions<PlatformOptions>>().Value.Database.ReplicaMaxLag,
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<ReplicaLagWatcher>>()));

        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"{serviceName}-database",
            sp => new DatabaseHealthCheck(sp.GetRequiredKeyedService<ServiceDatabase>(serviceName)),
            HealthStatus.Unhealthy,
            [ServiceDefaultsExtensions.ReadyTag]));
        // The replica's state, when there is one: Degraded while it is away (its reads are on the primary, so the service is
        // ready all the same, and the report names the replica). Decided on the settings as bound, whatever added them last.
        builder.Services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<PlatformOptions>>((health, platform) =>
        {
            if (HasReplica(platform.Value.Database))
            {
                health.Registrations.Add(new HealthCheckRegistration(
                    $"{serviceName}-database-replica",
                    sp => new ReplicaHealthCheck(sp.GetRequiredKeyedService<ServiceDatabase>(serviceName).ReplicaAvailability),
                    HealthStatus.Degraded,
                    [ServiceDefaultsExtensions.ReadyTag]));
            }
        });

        return builder;
    }

    private static bool HasReplica(DatabaseOptions options) =>
        options.Provider == DatabaseProvider.PostgreSql && !string.IsNullOrWhiteSpace(options.ReadConnectionString);

    // Hosted services start before Kestrel listens, so no request meets an unmigrated schema.
    private sealed class MigrationHostedService(ServiceDatabase database, Assembly migrations, IReadOnlyCollection<string> auditTables,
        DatabaseOptions options, ILogger logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            DatabaseMigrator.MigrateServiceAsync(database, migrations, options, auditTables, logger, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
