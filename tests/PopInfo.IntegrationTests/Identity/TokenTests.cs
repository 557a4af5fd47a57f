using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Identity;

/// <summary>
/// The identity provider hands platform services tokens by client credentials; the registry, trusting it by
/// configuration, lets them read and refuses what their scopes do not allow; a suspended client gets none.
/// </summary>
public sealed class TokenTests : IAsyncLifetime
{
    private IdentityHost identity = null!;

    public Task InitializeAsync()
    {
        identity = IdentityHost.OnSqlite();
        _ = identity.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await identity.DisposeAsync();

    private async Task<(int Status, JsonObject Body)> RequestTokenAsync(string clientId, string secret, string scope)
    {
        using var http = identity.CreateClient();
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = scope,
        }));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    [Fact]
    public async Task The_discovery_document_names_the_issuer_its_keys_and_token_endpoint()
    {
        using var http = identity.CreateClient();
        var (status, discovery) = await http.GetJsonAsync("/.well-known/openid-configuration");
        Assert.Equal(200, status);
        Assert.Equal(IdentityHost.Issuer, (string)discovery["issuer"]!);
        Assert.EndsWith("/connect/token", (string)discovery["token_endpoint"]!, StringComparison.Ordinal);
        var (keysStatus, keys) = await http.GetJsonAsync(new Uri((string)discovery["jwks_uri"]!).PathAndQuery);
        Assert.Equal(200, keysStatus);
        Assert.Equal("RSA", (string)keys["keys"]![0]!["kty"]!);
    }

    [Fact]
    public async Task A_service_gets_a_short_lived_token_naming_its_client_scope_and_audience()
    {
        var (status, body) = await RequestTokenAsync("popinfo-collection", TestIssuer.ServiceSecret, "registry.read");
        Assert.Equal(200, status);
        var token = new JwtSecurityTokenHandler().ReadJwtToken((string)body["access_token"]!);
        Assert.Equal("popinfo-collection", token.Claims.Single(c => c.Type == "client_id").Value);
        Assert.Equal("registry.read", token.Claims.Single(c => c.Type == "scope").Value);
        Assert.Equal(["popinfo-registry"], token.Audiences);
        Assert.Equal(IdentityHost.Issuer, token.Issuer);
        Assert.InRange((token.ValidTo - token.IssuedAt).TotalSeconds, 1, 60);
    }

    [Fact]
    public async Task A_wrong_secret_or_a_scope_not_granted_gets_no_token()
    {
        var (wrongSecret, error) = await RequestTokenAsync("popinfo-collection", "not-the-secret", "registry.read");
        Assert.Equal(401, wrongSecret);
        Assert.Equal("invalid_client", (string)error["error"]!);

        // The desk's writes go over the bus: its client is not granted registry.write.
        var (notGranted, _) = await RequestTokenAsync("popinfo-collection", TestIssuer.ServiceSecret, "registry.write");
        Assert.Equal(400, notGranted);
    }

    [Fact]
    public async Task Only_the_sharing_service_gets_the_audit_scopes_of_the_registry_and_the_exchange()
    {
        // The access report's sources (docs/adr/0003 decision 6): the sharing service asks them for an auditor.
        var (status, body) = await RequestTokenAsync("popinfo-sharing", TestIssuer.ServiceSecret, "registry.audit exchange.audit");
        Assert.Equal(200, status);
        var token = new JwtSecurityTokenHandler().ReadJwtToken((string)body["access_token"]!);
        Assert.Equal("registry.audit exchange.audit", token.Claims.Single(c => c.Type == "scope").Value);
        Assert.Equal(["popinfo-exchange", "popinfo-registry"], token.Audiences.Order(StringComparer.Ordinal));

        foreach (var service in new[] { "popinfo-collection", "popinfo-exchange", "popinfo-analytics" })
        {
            Assert.Equal(400, (await RequestTokenAsync(service, TestIssuer.ServiceSecret, "registry.audit")).Status);
            Assert.Equal(400, (await RequestTokenAsync(service, TestIssuer.ServiceSecret, "exchange.audit")).Status);
        }
    }

    [Fact]
    public async Task Only_the_monitoring_service_gets_the_registrys_data_quality_counts_and_no_service_its_list()
    {
        // docs/data-quality.md: counts for monitoring (and operators); the list for collectors and supervisors only.
        var (status, body) = await RequestTokenAsync("popinfo-monitoring", TestIssuer.ServiceSecret, "registry.quality");
        Assert.Equal(200, status);
        var token = new JwtSecurityTokenHandler().ReadJwtToken((string)body["access_token"]!);
        Assert.Equal("registry.quality", token.Claims.Single(c => c.Type == "scope").Value);
        Assert.Equal(["popinfo-registry"], token.Audiences);

        foreach (var service in new[] { "popinfo-collection", "popinfo-exchange", "popinfo-sharing", "popinfo-analytics" })
        {
            Assert.Equal(400, (await RequestTokenAsync(service, TestIssuer.ServiceSecret, "registry.quality")).Status);
        }

        foreach (var service in new[] { "popinfo-collection", "popinfo-exchange", "popinfo-sharing", "popinfo-analytics", "popinfo-monitoring" })
        {
            Assert.Equal(400, (await RequestTokenAsync(service, TestIssuer.ServiceSecret, "registry.quality.issues")).Status);
        }

        Assert.Equal(400, (await RequestTokenAsync("popinfo-monitoring", TestIssuer.ServiceSecret, "registry.read")).Status);
    }

    [Fact]
    public async Task The_registry_trusts_the_provider_by_configuration_and_checks_scopes()
    {
        await using var registry = identity.RegistryTrustingThis();
        using var http = registry.CreateClient();
        using (var anonymous = await http.GetAsync("/api/v1/changes?after=0&limit=1000"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var (_, body) = await RequestTokenAsync("popinfo-collection", TestIssuer.ServiceSecret, "registry.read");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)body["access_token"]!);
        var (read, _) = await http.GetJsonAsync("/api/v1/changes?after=0&limit=10");
        Assert.Equal(200, read);

        var (write, problem) = await http.PostAsync("/api/v1/persons", People.Resident());
        Assert.Equal(403, write);
        Assert.Equal("token.scope", (string)problem["rule"]!);

        // The tests' own issuer is not the one this registry trusts.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestIssuer.Shared.RegistryToken());
        var (foreign, refused) = await http.GetJsonAsync("/api/v1/changes?after=0&limit=10");
        Assert.Equal(401, foreign);
        Assert.Equal("token.valid", (string)refused["rule"]!);
    }

    [Fact]
    public async Task A_suspended_client_gets_no_token_and_the_change_is_audited()
    {
        using var admin = identity.CreateAdminClient();
        var (listed, clients) = await admin.GetJsonArrayAsync("/api/v1/clients");
        Assert.Equal(200, listed);
        var exchange = clients.Single(c => (string)c!["clientId"]! == "popinfo-exchange")!;

        var (suspended, view) = await admin.PostAsync("/api/v1/clients/popinfo-exchange/suspend", new { expectedVersion = (int)exchange["version"]!, reason = "test" });
        Assert.Equal(200, suspended);
        Assert.Equal("suspended", (string)view["status"]!);
        var (refused, error) = await RequestTokenAsync("popinfo-exchange", TestIssuer.ServiceSecret, "registry.read");
        Assert.Equal(401, refused);
        Assert.Equal("invalid_client", (string)error["error"]!);

        var (stale, _) = await admin.PostAsync("/api/v1/clients/popinfo-exchange/activate", new { expectedVersion = (int)exchange["version"]! });
        Assert.Equal(409, stale);
        var (activated, _) = await admin.PostAsync("/api/v1/clients/popinfo-exchange/activate", new { expectedVersion = (int)view["version"]! });
        Assert.Equal(200, activated);
        var (again, _) = await RequestTokenAsync("popinfo-exchange", TestIssuer.ServiceSecret, "registry.read");
        Assert.Equal(200, again);

        var audit = identity.Services.GetRequiredService<PopInfo.Identity.Audit.AuditLog>();
        var rows = await audit.ReadAsync(0, 100, CancellationToken.None);
        Assert.Equal(["ok", "refused", "ok"], rows.Where(r => r.Target == "popinfo-exchange" && r.Action is "client.suspend" or "client.activate").Select(r => r.Outcome));
        Assert.Single(rows, r => r.Action == "token" && r.Target == "popinfo-exchange" && r.Outcome == "refused");
    }

    [Fact]
    public async Task The_administration_API_needs_the_admin_scope()
    {
        using var anonymous = identity.CreateClient();
        Assert.Equal(401, (await anonymous.GetJsonArrayAsync("/api/v1/clients")).Status);
        // A token for another service (its audience) is not valid here at all.
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestIssuer.Shared.RegistryToken());
        Assert.Equal(401, (await anonymous.GetJsonArrayAsync("/api/v1/clients")).Status);
        // One for this service without the scope is valid, and not enough.
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token(["registry.read"], audiences: ["popinfo-identity"]));
        Assert.Equal(403, (await anonymous.GetJsonArrayAsync("/api/v1/clients")).Status);
    }
}
