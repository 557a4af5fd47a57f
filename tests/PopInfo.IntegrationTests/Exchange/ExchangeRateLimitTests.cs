using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using PopInfo.Exchange;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Exchange;

/// <summary>
/// A department's endpoints at the exchange are rate-limited per department (docs/security.md, "Rate limits"): over
/// the limit a 429 problem naming <c>exchange.department</c> with <c>Retry-After</c>; another department is not limited.
/// </summary>
public sealed class ExchangeRateLimitTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "popinfo-exchange-limits-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<IAsyncDisposable> hosts = [];

    [Fact]
    public async Task A_department_over_its_limit_is_answered_429_with_Retry_After_on_every_department_endpoint_and_another_is_not()
    {
        var exchange = new ExchangeHost(new Dictionary<string, string?>
        {
            ["PopInfo:Database:Provider"] = "Sqlite",
            ["PopInfo:Database:DataDirectory"] = folder,
            ["PopInfo:Bus:Transport"] = "InMemory",
            ["PopInfo:RateLimits:ExchangeDepartment:PermitLimit"] = "3",
            ["PopInfo:RateLimits:ExchangeDepartment:Window"] = "1.00:00:00",
        }, () => new HttpClientHandler());
        hosts.Add(exchange);
        using var admin = exchange.CreateAdminClient();
        var police = await CreateAsync(admin, "police");
        var health = await CreateAsync(admin, "health");
        using var asPolice = exchange.CreateClientWithKey(police);
        using var asHealth = exchange.CreateClientWithKey(health);

        Assert.Equal(200, (await asPolice.GetJsonAsync("/api/v1/feed")).Status);
        Assert.Equal(200, (await asPolice.GetJsonAsync("/api/v1/departments/police/delivery-status")).Status);
        Assert.Equal(200, (await asPolice.GetJsonAsync("/api/v1/departments/police/parked")).Status);
        foreach (var url in new[] { "/api/v1/feed", "/api/v1/departments/police/parked", "/api/v1/inbound/PS-1" })
        {
            using var refused = await asPolice.GetAsync(url);
            await AssertRateLimitedAsync(refused);
        }

        using (var push = await asPolice.PostAsync("/api/v1/inbound", JsonContent.Create(new { records = Array.Empty<object>() })))
        {
            await AssertRateLimitedAsync(push);
        }

        Assert.Equal(200, (await asHealth.GetJsonAsync("/api/v1/feed")).Status);
        // The administrator is counted apart from the departments.
        Assert.Equal(200, (await admin.GetJsonAsync("/api/v1/departments/police/parked")).Status);
    }

    [Theory]
    [InlineData("PermitLimit", "0")]
    [InlineData("Window", "00:00:00.5")]
    public async Task A_limit_outside_its_range_stops_the_exchange_naming_it(string key, string value)
    {
        var error = Assert.IsType<OptionsValidationException>(await ExchangeHost.StartFailureAsync(new Dictionary<string, string?>
        {
            ["PopInfo:Database:DataDirectory"] = folder,
            [$"PopInfo:RateLimits:ExchangeDepartment:{key}"] = value,
        }));

        Assert.Contains("PopInfo:RateLimits:ExchangeDepartment", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> CreateAsync(HttpClient admin, string code)
    {
        var (status, body) = await admin.PostAsync("/api/v1/departments", new { code, name = code + " bureau", contact = "0510-1" });
        Assert.True(status == 201, body.ToJsonString());
        return (string)body["credentials"]!["apiKey"]!;
    }

    // The registry's and the desk's 429 (RateLimitTests), naming this limit.
    private static Task AssertRateLimitedAsync(HttpResponseMessage response) =>
        Security.RateLimitTests.AssertRateLimitedAsync(response, ExchangeModule.DepartmentRequests.Name);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
