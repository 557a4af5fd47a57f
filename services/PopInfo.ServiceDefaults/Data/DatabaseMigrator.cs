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
    private const string JournalTable = "schema_migrations";

    /// <summary>
    /// A service's start. PostgreSQL: refuses a privileged runtime role, migrates with the schema owner's
    /// connection (<c>PopInfo:Database:MigrationConnectionString</c>, closed again before the service listens),
    /// grants the runtime role its rights, and refuses a runtime role that holds the owner's. SQLite: migrates.
    /// SQL Server: creates the service's database if it is missing, then migrates with the runtime connection (the
    /// separation of the owner's and the runtime's rights is PostgreSQL's only, docs/adr/0009-sql-server.md).
    /// </summary>
    public static async Task MigrateServiceAsync(ServiceDatabase database, Assembly scripts, DatabaseOptions options,
        IReadOnlyCollection<string> auditTables, ILogger logger, CancellationToken cancellationToken)
    {
        if (database.Dialect is SqlServerDialect sqlServer)
        {
            await sqlServer.EnsureDatabaseAsync(cancellationToken);
        }

        if (database.Dialect is not PostgreSqlDialect)
        {
            await MigrateAsync(database, scripts, logger, cancellationToken);
            return;
        }

        var runtimeRole = await PostgreSqlRoles.CheckRuntimeRoleAsync(database, options.AllowSuperuser, cancellationToken);
        if (string.IsNullOrWhiteSpace(options.MigrationConnectionString))
        {
            // Development with one role (AllowSuperuser, checked by PlatformOptionsValidation): it owns what it migrates.
            await MigrateAsync(database, scripts, logger, cancellationToken);
        }
        else
        {
            var ownerDialect = PostgreSqlDialect.Create(options.MigrationConnectionString, database.ServiceName);
            try
            {
                var owner = new ServiceDatabase(database.ServiceName, ownerDialect);
                await MigrateAsync(owner, scripts, logger, cancellationToken);
                await PostgreSqlRoles.GrantRuntimeRightsAsync(owner, runtimeRole, auditTables, JournalTable, cancellationToken);
            }
            finally
            {
                // The owner's credentials serve the start only: no pooled connection of theirs outlives it.
                await ownerDialect.DataSource.DisposeAsync();
            }
        }

        await PostgreSqlRoles.CheckNotOwnerAsync(database, options.AllowSuperuser, cancellationToken);
    }

    public static Task MigrateAsync(ServiceDatabase database, Assembly scripts, ILogger logger, CancellationToken cancellationToken) =>
        MigrateAsync(database, evolve =>
        {
            evolve.EmbeddedResourceAssemblies = [scripts];
            evolve.EmbeddedResourceFilters = [$"{scripts.GetName().Name}.Migrations.{database.Dialect.MigrationFolder}."];
        }, logger, cancellationToken);

    /// <summary>
    /// Runs the scripts of a folder (<c>V{n}__{what}.sql</c>, for this database's dialect) instead of a service's
    /// embedded ones: the upgrade test applies an earlier commit's scripts with it before the current ones.
    /// </summary>
    public static Task MigrateFromFolderAsync(ServiceDatabase database, string folder, ILogger logger, CancellationToken cancellationToken) =>
        MigrateAsync(database, evolve => evolve.Locations = [folder], logger, cancellationToken);

    private static async Task MigrateAsync(ServiceDatabase database, Action<Evolve> chooseScripts, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var evolve = new Evolve(connection, message => logger.LogInformation("{Service} migration: {Message}", database.ServiceName, message))
        {
            IsEraseDisabled = true,
            MetadataTableName = JournalTable,
            // Several instances may start at once: Evolve then takes a lock in the database (an advisory lock; sp_getapplock).
            EnableClusterMode = database.Dialect is PostgreSqlDialect or SqlServerDialect,
        };
        chooseScripts(evolve);
        if (database.Dialect is PostgreSqlDialect)
        {
            evolve.Schemas = [database.ServiceName];
            evolve.MetadataTableSchema = database.ServiceName;
        }

        evolve.Migrate();
    }
}
