using Microsoft.Extensions.Options;
using PopInfo.IntegrationTests.Data;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security.RateLimits;
using PopInfo.Sharing;
using PopInfo.Sharing.Grants;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// A fresh sharing database migrated with the service's own scripts, without a host: a database of its own on the test
/// PostgreSQL server (schema <c>sharing</c>, as the server's superuser) or a SQLite file in a fresh folder
/// (<see cref="MigratedDatabase"/>).
/// </summary>
public sealed class SharingDatabase : IAsyncDisposable
{
    public const string PostgreSql = MigratedDatabase.PostgreSql;
    public const string Sqlite = MigratedDatabase.Sqlite;

    private readonly MigratedDatabase migrated;

    private SharingDatabase(MigratedDatabase migrated) => this.migrated = migrated;

    public ServiceDatabase Database => migrated.Database;

    public static async Task<SharingDatabase> CreateAsync(string provider) =>
        new(await MigratedDatabase.CreateCurrentAsync(SharingModule.Name, provider));

    /// <summary>Runs one statement of the test's own (a trigger, a count) on this database.</summary>
    public Task<long> ScalarAsync(string sql, object? parameters = null) => migrated.ScalarAsync(sql, parameters);

    public Task ExecuteAsync(string sql) => migrated.ExecuteAsync(sql);

    /// <summary>The departments' counts on a database as the service makes them (its rate window: a minute).</summary>
    public static DepartmentUsage Usage(ServiceDatabase database, TimeProvider clock, SharingOptions? options = null) =>
        new(new QuotaStore(database), new RateLimitCounterStore(database, new OneSetting(new RateLimitSetting { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) }), clock),
            Options.Create(options ?? new SharingOptions()), clock);

    public ValueTask DisposeAsync() => migrated.DisposeAsync();

    /// <summary>The same rate-limit setting for every policy.</summary>
    private sealed class OneSetting(RateLimitSetting setting) : IOptionsMonitor<RateLimitSetting>
    {
        public RateLimitSetting CurrentValue => setting;

        public RateLimitSetting Get(string? name) => setting;

        public IDisposable? OnChange(Action<RateLimitSetting, string?> listener) => null;
    }
}
