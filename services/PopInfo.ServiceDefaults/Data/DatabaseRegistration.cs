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
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase(this IHostApplicationBuilder builder, string serviceName, Assembly migrations)
    {
        DapperTypeHandlers.Register();
        builder.Services.AddKeyedSingleton(serviceName, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptions<PlatformOptions>>().Value.Database;
            SqlDialect dialect = options.Provider switch
            {
                DatabaseProvider.PostgreSql => PostgreSqlDialect.Create(options.ConnectionString!, serviceName),
                _ => SqliteDialect.Create(options.DataDirectory, serviceName),
            };
            return new ServiceDatabase(serviceName, dialect);
        });

        builder.Services.AddSingleton<IHostedService>(sp => new MigrationHostedService(
            sp.GetRequiredKeyedService<ServiceDatabase>(serviceName), migrations, sp.GetRequiredService<ILogger<ServiceDatabase>>()));

        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"{serviceName}-database",
            sp => new DatabaseHealthCheck(sp.GetRequiredKeyedService<ServiceDatabase>(serviceName)),
            HealthStatus.Unhealthy,
            [ServiceDefaultsExtensions.ReadyTag]));
        return builder;
    }

    // Hosted services start before Kestrel listens, so no request meets an unmigrated schema.
    private sealed class MigrationHostedService(ServiceDatabase database, Assembly migrations, ILogger logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            DatabaseMigrator.MigrateAsync(database, migrations, logger, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
