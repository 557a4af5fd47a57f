using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PopInfo.AuditVerify;
using PopInfo.Sharing.Audit;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// The sharing service on PostgreSQL with its own owner and runtime roles, as deploy/local/up.sh runs it: it migrates,
/// administers grants and writes the access audit as its runtime role, which may add to its two audit chains and read
/// them, but neither change nor remove a row of them.
/// </summary>
public sealed class SharingDatabaseRoleTests
{
    [Fact]
    public async Task The_runtime_role_may_only_add_to_and_read_the_grants_trail_and_the_access_audit()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        var roles = await ServiceRoles.CreateAsync(database, "sharing");
        try
        {
            await using (var host = new SharingHost(roles.Settings("sharing")))
            {
                using var admin = host.CreateAdminClient();
                using var put = await admin.PutAsJsonAsync("/api/v1/grants/dept-school", new
                {
                    operations = new[] { "verify" }, fields = new Dictionary<string, string>(), regions = new[] { "320213" },
                    purposes = new[] { "school-enrolment" }, requestsPerMinute = 60, dailyQuota = 100,
                });
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
                await host.Services.GetRequiredService<AccessAudit>().WriteAsync(
                    [new AccessAuditEntry(DateTimeOffset.UtcNow, Guid.NewGuid(), "dept-school", null, "verify", "school-enrolment", "CASE-1", null, [], "no-match", 7)],
                    null, CancellationToken.None);
            }

            await using var runtime = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(roles.RuntimeConnectionString("sharing")) { SearchPath = "sharing", Pooling = false }.ConnectionString);
            await runtime.OpenAsync();
            Assert.Equal(1L, await ScalarAsync(runtime, "SELECT COUNT(*) FROM access_audit"));
            Assert.Equal(1L, await ScalarAsync(runtime, "SELECT COUNT(*) FROM grant_changes"));
            foreach (var statement in new[]
                     {
                         "UPDATE access_audit SET outcome = 'match'", "DELETE FROM access_audit", "TRUNCATE access_audit",
                         "UPDATE grant_changes SET actor = 'someone'", "DELETE FROM grant_changes", "DELETE FROM audit_chain_head",
                     })
            {
                var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(runtime, statement));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
            }

            // popinfo-audit verify, as the runtime role: reading is all it needs.
            await using var written = new StringWriter();
            var code = await AuditVerifyCommand.RunAsync(["verify", "--provider", "PostgreSql", "--connection-string", roles.RuntimeConnectionString("sharing"), "--service", "sharing"], written, CancellationToken.None);
            var output = written.ToString();
            Assert.True(code == 0, output);
            Assert.Contains("sharing.grant_changes: intact, 1 rows chained", output, StringComparison.Ordinal);
            Assert.Contains("sharing.access_audit: intact, 1 rows chained", output, StringComparison.Ordinal);
        }
        finally
        {
            await roles.DisposeAsync();
            await TestInfrastructure.DropDatabaseAsync(database);
        }
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
