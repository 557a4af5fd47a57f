using System.Reflection;
using EvolveDb;
using Microsoft.Extensions.Logging;

namespace PopInfo.ServiceDefaults.Data;

/// <summary>
/// Runs a service's numbered SQL scripts (embedded resources <c>Migrations/{dialect}/V{n}__{what}.sql</c>)
/// with Evolve, journaled in the service's own schema. Scripts already applied are never changed.
/// </summary>
public static class DatabaseMigrator
{
    public static async Task MigrateAsync(ServiceDatabase database, Assembly scripts, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var evolve = new Evolve(connection, message => logger.LogInformation("{Service} migration: {Message}", database.ServiceName, message))
        {
            EmbeddedResourceAssemblies = [scripts],
            EmbeddedResourceFilters = [$"{scripts.GetName().Name}.Migrations.{database.Dialect.MigrationFolder}."],
            IsEraseDisabled = true,
            MetadataTableName = "schema_migrations",
            EnableClusterMode = database.Dialect is PostgreSqlDialect,
        };
        if (database.Dialect is PostgreSqlDialect)
        {
            evolve.Schemas = [database.ServiceName];
            evolve.MetadataTableSchema = database.ServiceName;
        }

        evolve.Migrate();
    }
}
