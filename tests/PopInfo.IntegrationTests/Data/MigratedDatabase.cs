using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using PopInfo.ServiceDefaults.Data;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Data;

/// <summary>
/// A fresh, empty database of one service — a database of its own on the test PostgreSQL server (the service's schema
/// in it) or a SQLite file in a fresh folder — migrated with the platform's own migrator, from the service's embedded
/// scripts or from a folder of scripts (an earlier commit's).
/// </summary>
public sealed class MigratedDatabase : IAsyncDisposable
{
    public const string PostgreSql = "PostgreSql";
    public const string Sqlite = "Sqlite";

    private readonly Func<Task> drop;

    private MigratedDatabase(string provider, ServiceDatabase database, Func<Task> drop)
    {
        Provider = provider;
        Database = database;
        this.drop = drop;
    }

    public string Provider { get; }

    public ServiceDatabase Database { get; }

    public string Service => Database.ServiceName;

    /// <summary>An empty database for <paramref name="service"/>: nothing migrated yet.</summary>
    public static async Task<MigratedDatabase> CreateEmptyAsync(string service, string provider)
    {
        DapperTypeHandlers.Register();
        if (provider == PostgreSql)
        {
            var connectionString = await TestInfrastructure.CreateDatabaseAsync();
            var dialect = PostgreSqlDialect.Create(connectionString, service);
            return new MigratedDatabase(provider, new ServiceDatabase(service, dialect), async () =>
            {
                await dialect.DataSource.DisposeAsync();
                await TestInfrastructure.DropDatabaseAsync(connectionString);
            });
        }

        var folder = Path.Combine(Path.GetTempPath(), "popinfo-db-" + Guid.NewGuid().ToString("N")[..12]);
        return new MigratedDatabase(provider, new ServiceDatabase(service, SqliteDialect.Create(folder, service)), () =>
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            return Task.CompletedTask;
        });
    }

    /// <summary>A database migrated with the service's current scripts.</summary>
    public static async Task<MigratedDatabase> CreateCurrentAsync(string service, string provider)
    {
        var database = await CreateEmptyAsync(service, provider);
        await database.MigrateCurrentAsync();
        return database;
    }

    public Task MigrateCurrentAsync() =>
        DatabaseMigrator.MigrateAsync(Database, ServiceMigrations.All[Service], NullLogger.Instance, CancellationToken.None);

    /// <summary>Applies the scripts of a folder holding this database's dialect's scripts (<c>V{n}__{what}.sql</c>).</summary>
    public Task MigrateFromFolderAsync(string folder) =>
        DatabaseMigrator.MigrateFromFolderAsync(Database, folder, NullLogger.Instance, CancellationToken.None);

    public async Task<DatabaseSchema> ReadSchemaAsync()
    {
        await using var connection = await Database.OpenConnectionAsync();
        return Provider == PostgreSql
            ? await DatabaseSchema.ReadPostgreSqlAsync(connection, Service)
            : await DatabaseSchema.ReadSqliteAsync(connection);
    }

    /// <summary>
    /// The scripts the journal (Evolve's <c>schema_migrations</c>) records as applied, in the order applied; not its
    /// other rows (version 0: the schema created or found empty).
    /// </summary>
    public async Task<IReadOnlyList<JournalEntry>> ReadJournalAsync()
    {
        await using var connection = await Database.OpenConnectionAsync();
        var table = Provider == PostgreSql ? $"{Service}.schema_migrations" : "schema_migrations";
        var rows = await connection.QueryAsync<JournalEntry>(
            $"SELECT id AS Id, version AS Version, name AS Name, checksum AS Checksum, success AS Success FROM {table} WHERE name LIKE 'V%.sql' ORDER BY id");
        return [.. rows];
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    public async Task<long> ScalarAsync(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    public ValueTask DisposeAsync() => new(drop());
}

/// <summary>One row of the migration journal (settable: Dapper converts each database's column types).</summary>
public sealed record JournalEntry
{
    public long Id { get; init; }

    public string Version { get; init; } = "";

    public string Name { get; init; } = "";

    public string Checksum { get; init; } = "";

    public bool Success { get; init; }
}
