using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using PopInfo.AuditVerify;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Security;

/// <summary>
/// The audit trails of the desk, the exchange and the identity provider are hash chains whose head is kept apart: the
/// verification command (<c>popinfo-audit verify</c>) finds an edited row and removed last rows, on SQLite and on
/// PostgreSQL with the services' own roles.
/// </summary>
public sealed class AuditChainTests
{
    [Fact]
    public async Task On_sqlite_an_edited_row_and_removed_last_rows_are_reported()
    {
        await using var platform = new EmbeddedPlatform();
        await DeskAndExchangeActionsAsync(platform.ClientOf(5102), ExchangeAdmin(platform.ClientOf(5103)));
        var verify = new[] { "verify", "--provider", "Sqlite", "--data-dir", platform.DataDirectory };

        await AssertTamperingIsReportedAsync(verify, service =>
        {
            var connection = new SqliteConnection($"Data Source={Path.Combine(platform.DataDirectory, service + ".db")};Pooling=false");
            connection.Open();
            return connection;
        });
    }

    [Fact]
    public async Task On_postgresql_an_edited_row_and_removed_last_rows_are_reported()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        var virtualHost = await TestInfrastructure.CreateVirtualHostAsync();
        var roles = await ServiceRoles.CreateAsync(database, "registry", "collection", "exchange");
        try
        {
            await using var registry = new RegistryHost(roles.Settings("registry", virtualHost));
            await using var desk = new CollectionHost(roles.Settings("collection", virtualHost), () => registry.Server.CreateHandler());
            await using var exchange = new ExchangeHost(roles.Settings("exchange", virtualHost), () => registry.Server.CreateHandler());
            await DeskAndExchangeActionsAsync(desk.CreateBrowserLikeClient(), exchange.CreateAdminClient());

            // The services' runtime roles may read their chains: the check needs no more than they have.
            foreach (var service in new[] { "collection", "exchange" })
            {
                var (code, output) = await VerifyAsync("verify", "--provider", "PostgreSql", "--connection-string", roles.RuntimeConnectionString(service), "--service", service);
                Assert.True(code == 0, output);
            }

            // The tampering is done as the test server's superuser: no service role may do it.
            await AssertTamperingIsReportedAsync(["verify", "--provider", "PostgreSql", "--connection-string", database, "--service", "collection", "--service", "exchange"], service =>
            {
                var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { SearchPath = service, Pooling = false }.ConnectionString);
                connection.Open();
                return connection;
            });
        }
        finally
        {
            await roles.DisposeAsync();
            await TestInfrastructure.DropDatabaseAsync(database);
            await TestInfrastructure.DeleteVirtualHostAsync(virtualHost);
        }
    }

    [Fact]
    public async Task Two_instances_writing_at_once_keep_one_chain()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        var roles = await ServiceRoles.CreateAsync(database, "collection");
        try
        {
            var settings = roles.Settings("collection");
            await using var first = new CollectionHost(settings, null);
            await using var second = new CollectionHost(settings, null);
            var hosts = new[] { first, second };

            // Each sign-in is audited on its own connection, by either instance.
            await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
            {
                var hint = TestIssuer.Shared.People.Add(new TestPerson($"chained-{i}", "采集员", "collector", People.Community));
                using var browser = await DeskSignIn.SignInAsync(hosts[i % 2].CreateBrowserLikeClient(), hint);
            }));

            var (code, output) = await VerifyAsync("verify", "--provider", "PostgreSql", "--connection-string", roles.RuntimeConnectionString("collection"), "--service", "collection");
            Assert.True(code == 0, output);
            Assert.Matches(@"intact, (4[0-9]|[5-9][0-9]) rows chained", output);
        }
        finally
        {
            await roles.DisposeAsync();
            await TestInfrastructure.DropDatabaseAsync(database);
        }
    }

    private static async Task AssertTamperingIsReportedAsync(string[] verify, Func<string, DbConnection> connect)
    {
        var (intactCode, intact) = await VerifyAsync(verify);
        Assert.True(intactCode == 0, intact);
        Assert.Contains("collection.audit_log: intact", intact, StringComparison.Ordinal);
        Assert.Contains("exchange.audit_log: intact", intact, StringComparison.Ordinal);

        foreach (var service in new[] { "collection", "exchange" })
        {
            string[] verifyOne = [.. verify.TakeWhile(a => a != "--service"), "--service", service];
            await using var connection = connect(service);
            var ids = (await QueryIdsAsync(connection)).ToList();
            Assert.True(ids.Count >= 3, $"{service} has {ids.Count} audit rows");

            // An edited row, then the same row put back.
            var edited = ids[1];
            var actor = await ScalarAsync(connection, $"SELECT actor FROM audit_log WHERE id = {edited}");
            await ExecuteAsync(connection, $"UPDATE audit_log SET actor = 'someone else' WHERE id = {edited}");
            var (editedCode, afterEdit) = await VerifyAsync(verifyOne);
            Assert.Equal(1, editedCode);
            Assert.Contains($"{service}.audit_log: BROKEN at id {edited}: row {edited} of audit_log does not match its hash: the row was edited", afterEdit, StringComparison.Ordinal);
            await ExecuteAsync(connection, $"UPDATE audit_log SET actor = '{actor}' WHERE id = {edited}");
            Assert.Equal(0, (await VerifyAsync(verifyOne)).Code);

            // The last row removed: the chain is whole, but its head, kept apart, says it went further.
            await ExecuteAsync(connection, $"DELETE FROM audit_log WHERE id = {ids[^1]}");
            var (deletedCode, afterDelete) = await VerifyAsync(verifyOne);
            Assert.Equal(1, deletedCode);
            Assert.Contains($"{service}.audit_log: BROKEN at id {ids[^1]}: row {ids[^1]} of audit_log is missing: the chain ends at id {ids[^2]}", afterDelete, StringComparison.Ordinal);

            // A row in the middle removed: the next one no longer follows.
            await ExecuteAsync(connection, $"DELETE FROM audit_log WHERE id = {ids[0]}");
            var (_, afterMiddle) = await VerifyAsync(verifyOne);
            Assert.Contains($"{service}.audit_log: BROKEN at id {ids[1]}: row {ids[1]} of audit_log does not start the chain", afterMiddle, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_identity_providers_audit_trail_is_a_chain_and_an_edited_row_is_reported()
    {
        var directory = Path.Combine(Path.GetTempPath(), "popinfo-identity-audit-" + Guid.NewGuid().ToString("N")[..12]);
        await using (var identity = new IdentityHost(new Dictionary<string, string?>
        {
            ["PopInfo:Database:Provider"] = "Sqlite", ["PopInfo:Database:DataDirectory"] = directory,
        }))
        {
            // Audited: each platform service's client configured at start, and an administrator's rotation.
            using var admin = identity.CreateAdminClient();
            using var rotated = await admin.PostAsync("/api/v1/signing-keys/rotate", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.OK, rotated.StatusCode);
        }

        string[] verify = ["verify", "--provider", "Sqlite", "--data-dir", directory, "--service", "identity"];
        var (code, intact) = await VerifyAsync(verify);
        Assert.True(code == 0, intact);
        Assert.Matches(@"identity\.audit_log: intact, ([3-9]|[1-9][0-9]+) rows chained", intact);

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "identity.db")};Pooling=false");
        connection.Open();
        var edited = (await QueryIdsAsync(connection)).ElementAt(1);
        await ExecuteAsync(connection, $"UPDATE audit_log SET outcome = 'refused' WHERE id = {edited}");
        var (brokenCode, broken) = await VerifyAsync(verify);
        Assert.Equal(1, brokenCode);
        Assert.Contains($"identity.audit_log: BROKEN at id {edited}: row {edited} of audit_log does not match its hash: the row was edited", broken, StringComparison.Ordinal);
    }

    /// <summary>Audited actions: the desk's sign-ins (two refused), the exchange's department and its subscription.</summary>
    private static async Task DeskAndExchangeActionsAsync(HttpClient desk, HttpClient exchangeAdmin)
    {
        var people = TestIssuer.Shared.People;
        await Assert.ThrowsAsync<InvalidOperationException>(() => DeskSignIn.SignInAsync(desk, people.Add(new TestPerson("audit-planner", "规划", "planner", null))));
        await DeskSignIn.SignInAsync(desk, people.Add(new TestPerson("audit-collector", "采集员", "collector", People.Community)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => DeskSignIn.SignInAsync(desk, people.Add(new TestPerson("audit-nowhere", "采集员", "collector", null))));

        var code = "audit-" + Guid.NewGuid().ToString("N")[..6];
        var (created, department) = await exchangeAdmin.PostAsync("/api/v1/departments", new { code, name = "审计", contact = "0510-1" });
        Assert.True(created == 201, department.ToJsonString());
        var (subscribed, subscription) = await exchangeAdmin.PostAsync($"/api/v1/departments/{code}/subscriptions",
            new { changeTypes = new[] { "registered" }, regions = new[] { People.Community }, fields = new[] { "sex" }, purpose = "Audit chain test." });
        Assert.True(subscribed == 201, subscription.ToJsonString());
        var (second, _) = await exchangeAdmin.PostAsync($"/api/v1/departments/{code}/subscriptions",
            new { changeTypes = new[] { "died" }, regions = new[] { People.Community }, fields = new[] { "sex" }, purpose = "Audit chain test, again." });
        Assert.Equal(201, second);
    }

    private static HttpClient ExchangeAdmin(HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ExchangeHost.AdminKey);
        return client;
    }

    private static async Task<(int Code, string Output)> VerifyAsync(params string[] args)
    {
        await using var output = new StringWriter();
        var code = await AuditVerifyCommand.RunAsync(args, output, CancellationToken.None);
        return (code, output.ToString());
    }

    private static async Task<IEnumerable<long>> QueryIdsAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM audit_log WHERE hash IS NOT NULL ORDER BY id";
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return ids;
    }

    private static async Task<string> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
