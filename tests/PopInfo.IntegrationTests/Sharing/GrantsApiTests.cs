using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Domain.Statistics;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Sharing;
using PopInfo.Sharing.Grants;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// The grants' administration over HTTP on PostgreSQL and SQLite: versions (ETag, If-Match → 412, expectedVersion → 409,
/// neither → 428), the domain's rules as RFC 9457 problems naming field and rule, suspension, deletion, the change trail
/// with before and after in a valid chain; a department reads its own grant and usage; who may call what.
/// </summary>
public sealed class GrantsApiTests
{
    private static readonly object SchoolGrant = new
    {
        operations = new[] { "verify", "lookup" },
        fields = new Dictionary<string, string> { ["name"] = "masked", ["birthDate"] = "plain" },
        regions = new[] { "320213" },
        purposes = new[] { "school-enrolment" },
        requestsPerMinute = 120,
        dailyQuota = 5000,
        mayTellNotFound = false,
    };

    [Theory]
    [InlineData(SharingDatabase.PostgreSql)]
    [InlineData(SharingDatabase.Sqlite)]
    public async Task An_administrator_puts_replaces_suspends_and_deletes_a_grant_with_versions_and_every_change_audited(string provider)
    {
        var database = provider == SharingDatabase.PostgreSql ? await TestInfrastructure.CreateDatabaseAsync() : null;
        try
        {
            await using var host = database is null ? SharingHost.OnSqlite() : SharingHost.OnPostgreSql(database);
            using var admin = host.CreateAdminClient();

            // Created without a version: version 1, its ETag.
            using (var created = await admin.PutAsJsonAsync("/api/v1/grants/dept-school", SchoolGrant))
            {
                Assert.Equal(HttpStatusCode.OK, created.StatusCode);
                Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
            }

            var (status, grant) = await admin.GetJsonAsync("/api/v1/grants/dept-school");
            Assert.Equal(200, status);
            Assert.Equal((1, "active", "masked", 5000), ((int)grant["version"]!, (string)grant["status"]!, (string)grant["fields"]!["name"]!, (int)grant["dailyQuota"]!));

            // Replacing needs the version: none → 428, a stale If-Match → 412, a stale expectedVersion → 409.
            Assert.Equal((428, "version.required"), await RuleAsync(await admin.PutAsJsonAsync("/api/v1/grants/dept-school", SchoolGrant)));
            Assert.Equal((412, "version.if-match"), await RuleAsync(await SendAsync(admin, HttpMethod.Put, "/api/v1/grants/dept-school", SchoolGrant, "\"7\"")));
            Assert.Equal((412, "version.if-match"), await RuleAsync(await SendAsync(admin, HttpMethod.Put, "/api/v1/grants/dept-school", SchoolGrant, "not-an-etag")));
            Assert.Equal((409, "version.current"), await RuleAsync(await admin.PutAsJsonAsync("/api/v1/grants/dept-school", With(SchoolGrant, "expectedVersion", 3))));
            Assert.Equal((412, "version.if-match"), await RuleAsync(await SendAsync(admin, HttpMethod.Put, "/api/v1/grants/dept-nobody", SchoolGrant, "\"1\"")));

            using (var replaced = await SendAsync(admin, HttpMethod.Put, "/api/v1/grants/dept-school", With(SchoolGrant, "dailyQuota", 100), "\"1\""))
            {
                Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
                Assert.Equal("\"2\"", replaced.Headers.ETag?.Tag);
            }

            using (var byBody = await admin.PutAsJsonAsync("/api/v1/grants/dept-school", With(With(SchoolGrant, "dailyQuota", 200), "expectedVersion", 2)))
            {
                Assert.Equal(HttpStatusCode.OK, byBody.StatusCode);
            }

            // The domain's rules: each broken one named with its field.
            var bad = new
            {
                operations = new[] { "verify", "sell" },
                fields = new Dictionary<string, string> { ["sex"] = "masked", ["shoeSize"] = "plain" },
                regions = new[] { "999999" },
                purposes = new[] { "curiosity" },
                requestsPerMinute = 0,
                dailyQuota = 5000,
            };
            using (var refused = await admin.PutAsJsonAsync("/api/v1/grants/dept-other", bad))
            {
                var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                Assert.Equal(
                    [("operations", "grant.operation-unknown"), ("fields", "grant.mask-unknown"), ("fields", "grant.field-unknown"), ("regions", "grant.region-unknown"),
                     ("purposes", "purpose.unknown"), ("requestsPerMinute", "grant.limit-range")],
                    problem.Violations());
            }

            Assert.Equal(404, (await admin.GetJsonAsync("/api/v1/grants/dept-other")).Status);

            // Suspended and active again; a second suspension changes nothing.
            Assert.Equal("suspended", (string)(await admin.PostAsync("/api/v1/grants/dept-school/suspend", new { })).Body["status"]!);
            Assert.Equal(4, (int)(await admin.PostAsync("/api/v1/grants/dept-school/suspend", new { })).Body["version"]!);
            Assert.Equal((200, "active"), await StatusOf(admin.PostAsync("/api/v1/grants/dept-school/activate", new { })));

            // Deleting needs the version too.
            Assert.Equal((428, "version.required"), await RuleAsync(await admin.DeleteAsync("/api/v1/grants/dept-school")));
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/grants/dept-school?expectedVersion=5")).StatusCode);
            Assert.Equal(404, (await admin.GetJsonAsync("/api/v1/grants/dept-school")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/v1/grants/dept-school?expectedVersion=5")).StatusCode);

            // Every change, with who and the grant before and after; refusals changed nothing and are not in the trail.
            var changes = await admin.GetArrayAsync("/api/v1/grants/dept-school/changes");
            Assert.Equal(
                [GrantChanges.Create, GrantChanges.Replace, GrantChanges.Replace, GrantChanges.Suspend, GrantChanges.Activate, GrantChanges.Delete],
                changes.Select(c => (string)c!["action"]!));
            Assert.All(changes, c => Assert.Equal("popinfo-admin-page/admin", (string)c!["actor"]!));
            Assert.Null(changes[0]!["before"]);
            Assert.Equal((5000, 100), ((int)changes[1]!["before"]!["dailyQuota"]!, (int)changes[1]!["after"]!["dailyQuota"]!));
            Assert.Equal(("active", "suspended"), ((string)changes[3]!["before"]!["status"]!, (string)changes[3]!["after"]!["status"]!));
            Assert.Equal(5, (int)changes[5]!["before"]!["version"]!);
            Assert.Null(changes[5]!["after"]);

            await using var connection = await host.Services.GetRequiredService<GrantStore>().Database.OpenConnectionAsync();
            var report = await GrantChanges.Table.VerifyAsync(connection, CancellationToken.None);
            Assert.True(report.Intact, report.Problem);
            Assert.Equal(6, report.ChainedRows);
        }
        finally
        {
            if (database is not null)
            {
                await TestInfrastructure.DropDatabaseAsync(database);
            }
        }
    }

    [Fact]
    public async Task A_department_reads_its_own_grant_and_todays_use_and_no_other()
    {
        await using var host = SharingHost.OnSqlite();
        using var admin = host.CreateAdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/grants/dept-school", SchoolGrant)).StatusCode);
        // Twelve items counted today (China day), as an audit commit counts them.
        var today = PopInfo.Domain.Statistics.ChinaTime.DateOf(DateTimeOffset.UtcNow);
        var database = host.Services.GetRequiredKeyedService<ServiceDatabase>(SharingModule.Name);
        await using (var connection = await database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.Equal(12, await host.Services.GetRequiredService<QuotaStore>().AddAsync(connection, transaction, "dept-school", today, 12, CancellationToken.None));
            await transaction.CommitAsync();
        }

        using var school = host.CreateDepartmentClient("school");
        var (status, own) = await school.GetJsonAsync("/api/v1/grant");
        Assert.Equal((200, "dept-school", "masked"), (status, (string)own["clientId"]!, (string)own["fields"]!["name"]!));
        var (usageStatus, usage) = await school.GetJsonAsync("/api/v1/usage");
        Assert.Equal((200, 12, 5000, 4988), (usageStatus, (int)usage["used"]!, (int)usage["dailyQuota"]!, (int)usage["remaining"]!));
        Assert.Equal(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), (string)usage["day"]!);
        Assert.Equal(0, DateTimeOffset.Parse((string)usage["resetsAt"]!, System.Globalization.CultureInfo.InvariantCulture).ToOffset(ChinaTime.Offset).TimeOfDay.Ticks);

        // Another department has no grant here: it sees none, and never dept-school's.
        using var hospital = host.CreateDepartmentClient("hospital");
        Assert.Equal(404, (await hospital.GetJsonAsync("/api/v1/grant")).Status);
        Assert.Equal(404, (await hospital.GetJsonAsync("/api/v1/usage")).Status);
    }

    [Fact]
    public async Task Without_a_token_401_with_another_scope_403_for_another_service_401()
    {
        await using var host = SharingHost.OnSqlite();
        var issuer = TestIssuer.Shared;
        var sharing = PlatformScopes.Audience("sharing");
        using var none = host.ClientWithToken(null);
        using var department = host.CreateDepartmentClient("school");
        using var otherScope = host.ClientWithToken(issuer.Token([PlatformScopes.AnalyticsAdmin, PlatformScopes.ExchangeDepartment], audiences: [sharing]));
        using var adminForRegistry = host.ClientWithToken(issuer.Token([PlatformScopes.SharingAdmin], audiences: [PlatformScopes.Audience("registry")]));
        using var readForExchange = host.ClientWithToken(issuer.Token([PlatformScopes.SharingRead], "dept-school", audiences: [PlatformScopes.Audience("exchange")]));
        using var admin = host.CreateAdminClient();

        string[] adminPaths = ["/api/v1/grants", "/api/v1/grants/dept-school", "/api/v1/grants/dept-school/changes"];
        foreach (var path in adminPaths)
        {
            Assert.Equal((401, "token.required"), await RuleAsync(await none.GetAsync(path)));
            Assert.Equal((403, "token.scope"), await RuleAsync(await department.GetAsync(path)));
            Assert.Equal((403, "token.scope"), await RuleAsync(await otherScope.GetAsync(path)));
            // This process serves the sharing service only: a token for another service is not valid here at all.
            Assert.Equal((401, "token.valid"), await RuleAsync(await adminForRegistry.GetAsync(path)));
        }

        Assert.Equal((401, "token.required"), await RuleAsync(await none.PutAsJsonAsync("/api/v1/grants/dept-school", SchoolGrant)));
        Assert.Equal((403, "token.scope"), await RuleAsync(await department.PutAsJsonAsync("/api/v1/grants/dept-school", SchoolGrant)));
        Assert.Equal((403, "token.scope"), await RuleAsync(await department.PostAsJsonAsync("/api/v1/grants/dept-school/suspend", new { })));
        Assert.Equal((403, "token.scope"), await RuleAsync(await department.PostAsJsonAsync("/api/v1/grants/dept-school/activate", new { })));
        Assert.Equal((403, "token.scope"), await RuleAsync(await department.DeleteAsync("/api/v1/grants/dept-school?expectedVersion=1")));
        foreach (var path in new[] { "/api/v1/grant", "/api/v1/usage" })
        {
            Assert.Equal((401, "token.required"), await RuleAsync(await none.GetAsync(path)));
            Assert.Equal((403, "token.scope"), await RuleAsync(await admin.GetAsync(path)));
            Assert.Equal((403, "token.scope"), await RuleAsync(await otherScope.GetAsync(path)));
            Assert.Equal((401, "token.valid"), await RuleAsync(await readForExchange.GetAsync(path)));
        }

        // Nothing refused reached the grants: the administrator still finds none.
        Assert.Empty(await admin.GetArrayAsync("/api/v1/grants"));
    }

    private static async Task<(int, string?)> StatusOf(Task<(int Status, JsonObject Body)> call)
    {
        var (status, body) = await call;
        return (status, (string?)body["status"]);
    }

    private static async Task<(int Status, string? Rule)> RuleAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, text.Length == 0 ? null : (string?)JsonNode.Parse(text)?["rule"]);
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object body, string ifMatch)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    private static JsonObject With(object body, string property, int value)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(body)!.AsObject();
        json[property] = value;
        return json;
    }
}
