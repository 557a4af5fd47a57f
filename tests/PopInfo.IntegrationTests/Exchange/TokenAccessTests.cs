using System.Net.Http.Json;
using System.Net.Http.Headers;
using PopInfo.ServiceDefaults.Security;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Exchange;

/// <summary>
/// The exchange takes the platform's tokens beside its deprecated keys: a department's client (dept-{code}) reaches
/// only its own feed and status while active; exchange.admin administers; the desk's exchange.status only reads where
/// a change went. The tokens come from the tests' own issuer, which the exchange trusts by its settings.
/// </summary>
public sealed class TokenAccessTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    private HttpClient WithToken(string token)
    {
        var client = fixture.Exchange.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string DepartmentToken(string code) =>
        TestIssuer.Shared.Token([PlatformScopes.ExchangeDepartment], clientId: PlatformScopes.DepartmentClientId(code));

    [Fact]
    public async Task A_departments_token_reads_its_own_feed_and_status_only_while_it_is_active()
    {
        var bureau = await fixture.CreateDepartmentAsync("tok");
        var other = await fixture.CreateDepartmentAsync("tok-other");
        using var own = WithToken(DepartmentToken(bureau.Code));
        Assert.Equal(200, (await own.GetJsonAsync("/api/v1/feed")).Status);
        Assert.Equal(200, (await own.GetJsonAsync($"/api/v1/departments/{bureau.Code}/delivery-status")).Status);
        Assert.Equal(403, (await own.GetJsonAsync($"/api/v1/departments/{other.Code}/delivery-status")).Status);
        Assert.Equal(403, (await own.GetJsonAsync("/api/v1/departments")).Status);

        // A client that is not a registered department, or a department token without the scope, gets nothing here.
        using var stranger = WithToken(DepartmentToken("nobody-" + Guid.NewGuid().ToString("N")[..6]));
        Assert.Equal(403, (await stranger.GetJsonAsync("/api/v1/feed")).Status);
        using var unscoped = WithToken(TestIssuer.Shared.Token([PlatformScopes.ExchangeStatus], clientId: PlatformScopes.DepartmentClientId(bureau.Code)));
        Assert.Equal(403, (await unscoped.GetJsonAsync("/api/v1/feed")).Status);

        var (_, current) = await fixture.Admin.GetJsonAsync($"/api/v1/departments/{bureau.Code}");
        using var suspend = await fixture.Admin.PatchAsJsonAsync($"/api/v1/departments/{bureau.Code}", new { status = "suspended", expectedVersion = (int)current["version"]! });
        Assert.Equal(System.Net.HttpStatusCode.OK, suspend.StatusCode);
        Assert.Equal(403, (await own.GetJsonAsync("/api/v1/feed")).Status);
    }

    [Fact]
    public async Task A_suspension_refuses_the_departments_token_at_once_on_its_instance_and_within_the_cache_life_on_another()
    {
        var bureau = await fixture.CreateDepartmentAsync("cache");
        var token = DepartmentToken(bureau.Code);
        await using var other = fixture.AnotherExchangeInstance();
        using var here = WithToken(token);
        using var there = other.CreateClient();
        there.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // Both instances now remember the department as active.
        Assert.Equal(200, (await here.GetJsonAsync("/api/v1/feed")).Status);
        Assert.Equal(200, (await there.GetJsonAsync("/api/v1/feed")).Status);

        var (_, current) = await fixture.Admin.GetJsonAsync($"/api/v1/departments/{bureau.Code}");
        using var suspend = await fixture.Admin.PatchAsJsonAsync($"/api/v1/departments/{bureau.Code}", new { status = "suspended", expectedVersion = (int)current["version"]! });
        Assert.Equal(System.Net.HttpStatusCode.OK, suspend.StatusCode);
        var suspended = System.Diagnostics.Stopwatch.StartNew();

        // The instance that suspended forgets at once; the other within the cache's life (5 s by default), well inside the minute.
        Assert.Equal(403, (await here.GetJsonAsync("/api/v1/feed")).Status);
        await Eventually.TrueAsync(async () => (await there.GetJsonAsync("/api/v1/feed")).Status == 403,
            TimeSpan.FromSeconds(5) + TimeSpan.FromSeconds(2), "the other instance to refuse the suspended department's token");
        Assert.True(suspended.Elapsed < TimeSpan.FromSeconds(7), $"refused after {suspended.Elapsed}");
    }

    [Fact]
    public async Task An_administrators_token_administers_and_the_desks_status_token_only_reads_where_changes_went()
    {
        using var admin = WithToken(TestIssuer.Shared.Token([PlatformScopes.ExchangeAdmin], subject: "admin", role: "admin"));
        Assert.Equal(200, (await admin.GetJsonArrayAsync("/api/v1/departments")).Status);

        using var desk = WithToken(TestIssuer.Shared.Token([PlatformScopes.ExchangeStatus], clientId: "popinfo-collection"));
        Assert.Equal(200, (await desk.GetJsonArrayAsync("/api/v1/changes/1/deliveries")).Status);
        Assert.Equal(403, (await desk.GetJsonArrayAsync("/api/v1/departments")).Status);

        // A token for another service (the registry's audience) is no token here.
        using var registryToken = WithToken(TestIssuer.Shared.RegistryToken());
        var (status, problem) = await registryToken.GetJsonAsync("/api/v1/feed");
        Assert.Equal(401, status);
        Assert.Equal("token.valid", (string)problem["rule"]!);
    }
}
