using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Identity;

/// <summary>
/// A department is one identity: its client dept-{code} is made at the provider (secret once, rotatable), and one
/// suspension there stops the department at the exchange too — deliveries, broker access and its (deprecated) key.
/// The embedded platform: every module in one process, the in-memory bus between the provider and the exchange.
/// </summary>
public sealed class DepartmentIdentityTests
{
    private static async Task<(int Status, JsonObject Body)> TokenAsync(HttpClient identity, string clientId, string secret, string scope)
    {
        using var response = await identity.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = scope,
        }));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    [Fact]
    public async Task A_departments_client_is_made_once_rotated_and_its_suspension_reaches_the_exchange()
    {
        await using var platform = new EmbeddedPlatform();
        using var exchangeAdmin = platform.ClientOf(5103);
        exchangeAdmin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ExchangeHost.AdminKey);
        using var identityAdmin = platform.ClientOf(5107);
        identityAdmin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token([PlatformScopes.IdentityAdmin], subject: "admin", role: "admin"));
        using var identity = platform.ClientOf(5107);

        var (made, department) = await exchangeAdmin.PostAsync("/api/v1/departments", new { code = "civil", name = "民政局", contact = "0510-2" });
        Assert.True(made == 201, department.ToJsonString());
        var (created, client) = await identityAdmin.PostAsync("/api/v1/clients", new { departmentCode = "civil", displayName = "民政局" });
        Assert.True(created == 201, client.ToJsonString());
        Assert.Equal("dept-civil", (string)client["clientId"]!);
        var secret = (string)client["clientSecret"]!;
        Assert.Equal(409, (await identityAdmin.PostAsync("/api/v1/clients", new { departmentCode = "civil", displayName = "again" })).Status);
        var (badScope, problem) = await identityAdmin.PostAsync("/api/v1/clients", new { departmentCode = "health", displayName = "卫健委", scopes = new[] { "registry.read" } });
        Assert.Equal(400, badScope);
        Assert.Equal([("scopes[0]", "scope.grantable")], problem.Violations());

        // Its own tokens, for its own scope only; never the register's.
        Assert.Equal(200, (await TokenAsync(identity, "dept-civil", secret, PlatformScopes.ExchangeDepartment)).Status);
        Assert.Equal(400, (await TokenAsync(identity, "dept-civil", secret, PlatformScopes.RegistryRead)).Status);

        // No overlap asked: the old secret stops at once (ClientSecretRotationTests has the overlap).
        var (rotated, renewed) = await identityAdmin.PostAsync("/api/v1/clients/dept-civil/secret", new { overlapMinutes = 0 });
        Assert.Equal(200, rotated);
        Assert.Equal(401, (await TokenAsync(identity, "dept-civil", secret, PlatformScopes.ExchangeDepartment)).Status);
        Assert.Equal(200, (await TokenAsync(identity, "dept-civil", (string)renewed["clientSecret"]!, PlatformScopes.ExchangeDepartment)).Status);

        // One suspension at the provider: the exchange's department follows, and so does its key.
        using var legacyKey = platform.ClientOf(5103);
        legacyKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)department["credentials"]!["apiKey"]!);
        Assert.Equal(200, (await legacyKey.GetJsonAsync("/api/v1/feed")).Status);
        var listed = (await identityAdmin.GetJsonArrayAsync("/api/v1/clients")).Body.Single(c => (string)c!["clientId"]! == "dept-civil")!;
        Assert.Equal(200, (await identityAdmin.PostAsync("/api/v1/clients/dept-civil/suspend", new { expectedVersion = (int)listed["version"]!, reason = "审计暂停" })).Status);
        Assert.Equal(401, (await TokenAsync(identity, "dept-civil", (string)renewed["clientSecret"]!, PlatformScopes.ExchangeDepartment)).Status);
        await Eventually.TrueAsync(async () => (string?)(await exchangeAdmin.GetJsonAsync("/api/v1/departments/civil")).Body["status"] == "suspended",
            TimeSpan.FromSeconds(30), "the exchange's department suspended");
        Assert.Equal(401, (await legacyKey.GetJsonAsync("/api/v1/feed")).Status);

        var suspended = (await identityAdmin.GetJsonArrayAsync("/api/v1/clients")).Body.Single(c => (string)c!["clientId"]! == "dept-civil")!;
        Assert.Equal(200, (await identityAdmin.PostAsync("/api/v1/clients/dept-civil/activate", new { expectedVersion = (int)suspended["version"]! })).Status);
        await Eventually.TrueAsync(async () => (string?)(await exchangeAdmin.GetJsonAsync("/api/v1/departments/civil")).Body["status"] == "active",
            TimeSpan.FromSeconds(30), "the exchange's department active again");
        Assert.Equal(200, (await legacyKey.GetJsonAsync("/api/v1/feed")).Status);
    }
}
