using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using PopInfo.Analytics;
using PopInfo.Analytics.Apis;
using PopInfo.Analytics.Protection;
using PopInfo.Collection;
using PopInfo.Identity;
using PopInfo.Identity.Data;
using PopInfo.ServiceDefaults;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security.RateLimits;
using PopInfo.Testing;
using CollectionAudit = PopInfo.Collection.Audit.AuditLog;

namespace PopInfo.IntegrationTests.Data.SqlServer;

/// <summary>
/// The SQL Server dialect on a real SQL Server (<see cref="TestSqlServer"/>): every service's migrations run (and run
/// again as no-ops), and the stores' statements that the dialect writes — upsert, insert-or-nothing, paging, values
/// returned by a write, row and session locks — behave as on PostgreSQL. Where no SQL Server can be had (no Docker
/// engine: these machines) every test here is reported SKIPPED with the reason, never passed.
/// Run alone: <c>dotnet test tests/PopInfo.IntegrationTests --filter Category=SqlServer</c>.
/// </summary>
[Trait("Category", "SqlServer")]
public sealed class SqlServerBehaviourTests
{
    [SkippableTheory]
    [MemberData(nameof(ServiceMigrations.Names), MemberType = typeof(ServiceMigrations))]
    public async Task The_service_migrations_run_on_SQL_Server_and_again_as_nothing(string service)
    {
        var database = await DatabaseAsync(service);

        await MigrateAsync(database);
        await MigrateAsync(database);

        await using var connection = await database.OpenConnectionAsync();
        var applied = await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations WHERE type = 0 AND success = 1");
        var scripts = ServiceMigrations.All[service].GetManifestResourceNames().Count(n => n.Contains(".Migrations.SqlServer.", StringComparison.Ordinal));
        Assert.Equal(scripts, applied);
    }

    [SkippableFact]
    public async Task An_upsert_adds_to_the_row_it_finds_and_returns_the_new_total()
    {
        var database = await MigratedAsync(CollectionModule.Name);
        var policy = new RateLimitPolicy("test.limit", "TestLimit", 10, TimeSpan.FromMinutes(1));
        var window = new FixedWindow(1_000, 1_060);
        await using var connection = await database.OpenConnectionAsync();

        var first = await RateLimitCounterStore.AddHitsAsync(connection, null, database.Dialect, policy, "key", window, 3, CancellationToken.None);
        var second = await RateLimitCounterStore.AddHitsAsync(connection, null, database.Dialect, policy, "key", window, 4, CancellationToken.None);
        var otherKey = await RateLimitCounterStore.AddHitsAsync(connection, null, database.Dialect, policy, "other", window, 5, CancellationToken.None);

        Assert.Equal([3L, 7L, 5L], [first, second, otherKey]);
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM rate_limit_windows"));
    }

    [SkippableFact]
    public async Task An_insert_or_nothing_keeps_the_first_row()
    {
        var database = await MigratedAsync(AnalyticsModule.Name);
        var store = new CellKeySecretStore(database);

        var kept = await store.KeepAsync("first", DateTimeOffset.UnixEpoch, CancellationToken.None);
        var keptAgain = await store.KeepAsync("second", DateTimeOffset.UnixEpoch.AddDays(1), CancellationToken.None);

        Assert.Equal(["first", "first"], [kept, keptAgain]);
    }

    /// <summary>The audit searches' text members: a uniqueidentifier in lower case (as the ids stored as text), a join, a tail.</summary>
    [SkippableFact]
    public async Task The_text_members_give_the_texts_PostgreSQL_gives()
    {
        var database = await DatabaseAsync(CollectionModule.Name);
        var dialect = database.Dialect;
        var id = Guid.NewGuid();
        await using var connection = await database.OpenConnectionAsync();

        var uuid = await connection.ExecuteScalarAsync<string>($"SELECT {dialect.UuidText("CAST(@id AS uniqueidentifier)")}", new { id });
        var joined = await connection.ExecuteScalarAsync<string>($"SELECT {dialect.Concat("'change.'", "@type")}", new { type = "birth" });
        var rest = await connection.ExecuteScalarAsync<string>($"SELECT {dialect.Substring("@client", 6)}", new { client = "dept-police " });

        Assert.Equal((id.ToString("D"), "change.birth", "police "), (uuid, joined, rest));
    }

    [SkippableFact]
    public async Task A_page_holds_the_limit_in_order()
    {
        var database = await MigratedAsync(AnalyticsModule.Name);
        var store = new QueryLogStore(database);
        for (var i = 1; i <= 5; i++)
        {
            await store.AppendAsync(DateTimeOffset.UnixEpoch.AddMinutes(i), "caller", "kind", $"query {i}", CancellationToken.None);
        }

        var latest = await store.LatestAsync(2, CancellationToken.None);

        Assert.Equal(["query 5", "query 4"], latest.Select(r => r.Query));
    }

    [SkippableFact]
    public async Task Appends_return_their_ids_in_order_and_keep_the_chain()
    {
        var database = await MigratedAsync(CollectionModule.Name);
        var table = CollectionAudit.Table;
        await using var connection = await database.OpenConnectionAsync();

        var one = await table.AppendAsync(connection, null, database.Dialect, Row(0), CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        var many = await table.AppendManyAsync(connection, transaction, database.Dialect, [Row(1), Row(2), Row(3)], CancellationToken.None);
        await transaction.CommitAsync();
        var report = await table.VerifyAsync(connection, CancellationToken.None);

        Assert.Equal([one, one + 1, one + 2, one + 3], [one, .. many]);
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(4, report.ChainedRows);
    }

    [SkippableFact]
    public async Task The_head_of_an_audit_chain_does_not_move_back()
    {
        var database = await MigratedAsync(CollectionModule.Name);
        await using var connection = await database.OpenConnectionAsync();
        await CollectionAudit.Table.AppendAsync(connection, null, database.Dialect, Row(0), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<SqlException>(() => connection.ExecuteAsync(
            "UPDATE audit_chain_head SET last_id = 0 WHERE table_name = 'audit_log'"));

        Assert.Contains("only moves forward", refused.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_row_read_for_update_waits_for_its_reader_to_commit()
    {
        var database = await MigratedAsync(CollectionModule.Name);
        var dialect = database.Dialect;
        await using var reader = await database.OpenConnectionAsync();
        await reader.ExecuteAsync("INSERT INTO closed_days (community_code, day, closed_at, closed_by) VALUES ('c1', '2026-12-01', SYSDATETIMEOFFSET(), 'x')");
        await using var writer = await database.OpenConnectionAsync();
        await writer.ExecuteAsync("SET LOCK_TIMEOUT 500");

        await using (var transaction = await reader.BeginTransactionAsync())
        {
            var lockedBy = await reader.ExecuteScalarAsync<string>(
                $"SELECT closed_by FROM closed_days{dialect.UpdateLockHint} WHERE community_code = 'c1'{dialect.ForUpdate}", transaction: transaction);
            Assert.Equal("x", lockedBy);

            // 1222: the lock request timed out — the writer waited on the reader's lock.
            var waited = await Assert.ThrowsAsync<SqlException>(() => writer.ExecuteAsync("UPDATE closed_days SET closed_by = 'y' WHERE community_code = 'c1'"));
            Assert.Equal(1222, waited.Number);
            await transaction.CommitAsync();
        }

        Assert.Equal(1, await writer.ExecuteAsync("UPDATE closed_days SET closed_by = 'y' WHERE community_code = 'c1'"));
    }

    [SkippableFact]
    public async Task A_session_lock_is_held_by_one_session_until_it_lets_go()
    {
        var database = await MigratedAsync(CollectionModule.Name);
        await using var first = await database.OpenConnectionAsync();
        await using var second = await database.OpenConnectionAsync();

        var firstTook = await database.Dialect.TryLockSessionAsync(first, "lease", CancellationToken.None);
        var secondTookWhileHeld = await database.Dialect.TryLockSessionAsync(second, "lease", CancellationToken.None);
        await database.Dialect.UnlockSessionAsync(first, "lease", CancellationToken.None);
        var secondTookAfter = await database.Dialect.TryLockSessionAsync(second, "lease", CancellationToken.None);

        Assert.Equal([true, false, true], [firstTook, secondTookWhileHeld, secondTookAfter]);
    }

    [SkippableFact]
    public async Task The_identity_providers_EF_Core_store_writes_and_reads_its_tables()
    {
        var database = await MigratedAsync(IdentityModule.Name);
        var options = new DbContextOptionsBuilder<IdentityDbContext>();
        IdentityDbContext.Configure(options, database);
        await using (var context = new IdentityDbContext(options.Options))
        {
            context.Add(new OpenIddictEntityFrameworkCoreApplication { Id = "app-1", ClientId = "dept-test", DisplayName = "测试部门" });
            await context.SaveChangesAsync();
        }

        await using var reading = new IdentityDbContext(options.Options);
        var stored = await reading.Set<OpenIddictEntityFrameworkCoreApplication>().SingleAsync();
        Assert.Equal(("dept-test", "测试部门"), (stored.ClientId, stored.DisplayName));
    }

    private static Dictionary<string, object?> Row(int i) => new()
    {
        ["at"] = DateTimeOffset.UnixEpoch.AddMinutes(i), ["actor"] = "tester", ["role"] = "clerk", ["remote_address"] = null,
        ["action"] = "test.append", ["target"] = $"t{i}", ["community_code"] = "c1", ["outcome"] = "ok", ["detail"] = null,
    };

    // A database of its own per test (a new name each time): tests and runs never see each other's rows.
    private static async Task<ServiceDatabase> DatabaseAsync(string service)
    {
        Skip.IfNot(TestSqlServer.Available, TestSqlServer.Missing);
        DapperTypeHandlers.Register();
        var server = new SqlConnectionStringBuilder(await TestSqlServer.ConnectionStringAsync())
        {
            InitialCatalog = "t" + Guid.NewGuid().ToString("N")[..12],
            TrustServerCertificate = true,
        };
        return new ServiceDatabase(service, SqlServerDialect.Create(server.ConnectionString, service));
    }

    private static async Task<ServiceDatabase> MigratedAsync(string service)
    {
        var database = await DatabaseAsync(service);
        await MigrateAsync(database);
        return database;
    }

    private static Task MigrateAsync(ServiceDatabase database) =>
        DatabaseMigrator.MigrateServiceAsync(database, ServiceMigrations.All[database.ServiceName], new DatabaseOptions { Provider = DatabaseProvider.SqlServer },
            [], NullLogger.Instance, CancellationToken.None);
}
