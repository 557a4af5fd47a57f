using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security.RateLimits;
using PopInfo.Sharing;
using PopInfo.Sharing.Grants;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// A fresh sharing database migrated with the service's own scripts, without a host: a database of its own on the test
/// PostgreSQL server (schema <c>sharing</c>, as the server's superuser) or a SQLite file in a fresh folder.
/// </summary>
public sealed class SharingDatabase : IAsyncDisposable
{
    public const string PostgreSql = "PostgreSql";
    public const string Sqlite = "Sqlite";

    private readonly Func<Task> drop;

    private SharingDatabase(ServiceDatabase database, Func<Task> drop)
    {
        Database = database;
        this.drop = drop;
    }

    public ServiceDatabase Database { get; }

    public static async Task<SharingDatabase> CreateAsync(string provider)
    {
        DapperTypeHandlers.Register();
        if (provider == PostgreSql)
        {
            var connectionString = await TestInfrastructure.CreateDatabaseAsync();
            var dialect = PostgreSqlDialect.Create(connectionString, SharingModule.Name);
            var database = new ServiceDatabase(SharingModule.Name, dialect);
            await DatabaseMigrator.MigrateAsync(database, typeof(SharingModule).Assembly, NullLogger.Instance, CancellationToken.None);
            return new SharingDatabase(database, async () =>
            {
                await dialect.DataSource.DisposeAsync();
                await TestInfrastructure.DropDatabaseAsync(connectionString);
            });
        }

        var folder = Path.Combine(Path.GetTempPath(), "popinfo-sharing-db-" + Guid.NewGuid().ToString("N")[..12]);
        var sqlite = new ServiceDatabase(SharingModule.Name, SqliteDialect.Create(folder, SharingModule.Name));
        await DatabaseMigrator.MigrateAsync(sqlite, typeof(SharingModule).Assembly, NullLogger.Instance, CancellationToken.None);
        return new SharingDatabase(sqlite, () =>
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            return Task.CompletedTask;
        });
    }

    /// <summary>Runs one statement of the test's own (a trigger, a count) on this database.</summary>
    public async Task<long> ScalarAsync(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenConnectionAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql, parameters);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await Database.OpenConnectionAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, sql);
    }

    /// <summary>The departments' counts on a database as the service makes them (its rate window: a minute).</summary>
    public static DepartmentUsage Usage(ServiceDatabase database, TimeProvider clock, SharingOptions? options = null) =>
        new(new QuotaStore(database), new RateLimitCounterStore(database, new OneSetting(new RateLimitSetting { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) }), clock),
            Options.Create(options ?? new SharingOptions()), clock);

    public ValueTask DisposeAsync() => new(drop());

    /// <summary>The same rate-limit setting for every policy.</summary>
    private sealed class OneSetting(RateLimitSetting setting) : IOptionsMonitor<RateLimitSetting>
    {
        public RateLimitSetting CurrentValue => setting;

        public RateLimitSetting Get(string? name) => setting;

        public IDisposable? OnChange(Action<RateLimitSetting, string?> listener) => null;
    }
}
