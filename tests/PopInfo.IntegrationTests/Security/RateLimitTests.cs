using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Registry;
using PopInfo.ServiceDefaults.Security;
using PopInfo.ServiceDefaults.Security.RateLimits;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Security;

/// <summary>
/// Rate limits counted in the service's database: sign-in per address and per account name at the provider's page (the
/// desk signs people in there), look-ups per caller at the registry, on SQLite and PostgreSQL, and one counter for two instances.
/// Windows are a day long in these tests, so that a test's requests all fall in one window.
/// </summary>
public sealed partial class RateLimitTests : IAsyncLifetime
{
    private const string Day = "1.00:00:00";
    private readonly List<IAsyncDisposable> hosts = [];
    private readonly List<string> databases = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        foreach (var database in databases)
        {
            await TestInfrastructure.DropDatabaseAsync(database);
        }
    }

    public static TheoryData<string, string> ServicesAndDatabases => new()
    {
        { "identity", "Sqlite" }, { "identity", "PostgreSql" },
    };

    [Theory]
    [MemberData(nameof(ServicesAndDatabases))]
    public async Task The_sign_in_after_the_address_limit_is_429_with_Retry_After_and_another_address_is_not_limited(string service, string provider)
    {
        var signIn = await SignInServiceAsync(service, provider, Limit("SignInAddress", 3));

        // Three different accounts from one address: each a wrong password, none of them near its lockout.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(401, (await signIn("10.1.0.7", $"sprayed.{i}")).Status);
        }

        AssertRefused(await signIn("10.1.0.7", "sprayed.3"), "sign-in.address");
        Assert.Equal(401, (await signIn("10.1.0.8", "sprayed.3")).Status);
    }

    [Theory]
    [MemberData(nameof(ServicesAndDatabases))]
    public async Task The_sign_in_after_the_account_limit_is_429_from_any_address(string service, string provider)
    {
        var signIn = await SignInServiceAsync(service, provider, Limit("SignInAccount", 2));

        Assert.Equal(401, (await signIn("10.2.0.1", "Wang.Wei")).Status);
        Assert.Equal(401, (await signIn("10.2.0.2", "wang.wei")).Status);
        AssertRefused(await signIn("10.2.0.3", " wang.wei "), "sign-in.account");
        Assert.Equal(401, (await signIn("10.2.0.3", "li.na")).Status);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task Registry_look_ups_over_the_limit_are_429_for_that_caller_and_not_for_another(string provider)
    {
        var registry = await RegistryAsync(provider, null, Limit("RegistryLookUp", 3));
        using var desk = Caller(registry, "popinfo-collection");
        using var sharing = Caller(registry, "popinfo-sharing");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await desk.GetAsync($"/api/v1/persons/{Guid.NewGuid()}")).StatusCode);
        }

        using var refused = await desk.GetAsync($"/api/v1/persons/by-id-number/{People.Next().IdNumber}");
        await AssertRateLimitedAsync(refused, "registry.look-up");
        Assert.Equal(HttpStatusCode.NotFound, (await sharing.GetAsync($"/api/v1/persons/{Guid.NewGuid()}")).StatusCode);
        // A person acting through the same client has a counter of their own.
        using var person = Caller(registry, "popinfo-collection", subject: "collector.zhou");
        Assert.Equal(HttpStatusCode.NotFound, (await person.GetAsync($"/api/v1/persons/{Guid.NewGuid()}")).StatusCode);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task Desk_look_ups_over_the_limit_are_429_for_that_collector_and_not_for_another(string provider)
    {
        var settings = await DatabaseSettingsAsync(provider, "desk");
        foreach (var (key, value) in Limit("CollectionLookUp", 2))
        {
            settings[key] = value;
        }

        var desk = new CollectionHost(settings, null);
        hosts.Add(desk);
        using var zhou = await DeskSessionAsync(desk, "zhou.li");
        using var chen = await DeskSessionAsync(desk, "chen.jie");
        // No registry behind this desk: a look-up that is let through is answered 503 (registry.available).
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await zhou.GetAsync($"/api/v1/persons?name=周")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await zhou.GetAsync($"/api/v1/persons?name=周")).StatusCode);
        using var refused = await zhou.GetAsync($"/api/v1/persons?name=周");
        await AssertRateLimitedAsync(refused, "collection.look-up");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await chen.GetAsync($"/api/v1/persons?name=陈")).StatusCode);
    }

    private static Task<HttpClient> DeskSessionAsync(CollectionHost desk, string userName) =>
        DeskSignIn.SignInAsync(desk.Server.ClientFrom("10.3.0.2"), TestIssuer.Shared.People.Add(new TestPerson(userName, "采集员", "collector", People.Community)));

    [Fact]
    public async Task Two_registry_instances_on_one_PostgreSQL_database_share_the_counter()
    {
        var settings = Limit("RegistryLookUp", 4);
        var database = await TestInfrastructure.CreateDatabaseAsync();
        databases.Add(database);
        var first = await RegistryAsync("PostgreSql", database, settings);
        var second = await RegistryAsync("PostgreSql", database, settings);
        using var one = first.CreateClient();
        using var two = second.CreateClient();

        foreach (var client in new[] { one, two, one, two })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/persons/{Guid.NewGuid()}")).StatusCode);
        }

        using var refusedByTwo = await two.GetAsync($"/api/v1/persons/{Guid.NewGuid()}");
        await AssertRateLimitedAsync(refusedByTwo, "registry.look-up");
        using var refusedByOne = await one.GetAsync($"/api/v1/persons/{Guid.NewGuid()}");
        await AssertRateLimitedAsync(refusedByOne, "registry.look-up");
    }

    [Fact]
    public async Task Ended_windows_are_deleted()
    {
        var registry = await RegistryAsync("Sqlite", null, new() { ["PopInfo:RateLimits:RegistryLookUp:Window"] = "00:00:01" });
        using var client = registry.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/persons/{Guid.NewGuid()}")).StatusCode);
        var counter = registry.Services.GetRequiredKeyedService<RateLimitCounterStore>(RegistryModule.Name);
        Assert.Equal(1, await counter.CountWindowsAsync(CancellationToken.None));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        var deleted = 0;
        while (deleted == 0 && DateTime.UtcNow < deadline)
        {
            deleted = await counter.PruneAsync(CancellationToken.None);
            await Task.Delay(100);
        }

        Assert.Equal(1, deleted);
        Assert.Equal(0, await counter.CountWindowsAsync(CancellationToken.None));
    }

    private sealed record Attempt(int Status, int? RetryAfter, string? Limit);

    private static Dictionary<string, string?> Limit(string setting, int permitLimit) => new()
    {
        [$"PopInfo:RateLimits:{setting}:PermitLimit"] = $"{permitLimit}", [$"PopInfo:RateLimits:{setting}:Window"] = Day,
    };

    private static void AssertRefused(Attempt attempt, string limit)
    {
        Assert.Equal(429, attempt.Status);
        Assert.InRange(attempt.RetryAfter!.Value, 1, 86_400);
        Assert.Equal(limit, attempt.Limit);
    }

    /// <summary>A sign-in attempt with a wrong password at the provider's page, from an address.</summary>
    private async Task<Func<string, string, Task<Attempt>>> SignInServiceAsync(string service, string provider, Dictionary<string, string?> limits)
    {
        var database = await DatabaseSettingsAsync(provider, service);
        foreach (var (key, value) in limits)
        {
            database[key] = value;
        }

        var identity = new IdentityHost(database);
        hosts.Add(identity);
        return async (address, userName) =>
        {
            using var browser = identity.Server.ClientFrom(address, new Uri(IdentityHost.Issuer));
            var page = await browser.GetStringAsync("/account/sign-in");
            var antiforgery = AntiforgeryField().Match(page);
            using var response = await browser.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [antiforgery.Groups[1].Value] = WebUtility.HtmlDecode(antiforgery.Groups[2].Value),
                ["returnUrl"] = "/", ["userName"] = userName, ["password"] = "not-the-password",
            }));
            var html = await response.Content.ReadAsStringAsync();
            var limit = LimitNamed().Match(html);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains("Too many sign-in attempts", html, StringComparison.Ordinal);
                Assert.Contains("<form method=\"post\"", html, StringComparison.Ordinal);
            }

            return new Attempt((int)response.StatusCode, (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds, limit.Success ? limit.Groups[1].Value : null);
        };
    }

    private async Task<RegistryHost> RegistryAsync(string provider, string? sharedDatabase, Dictionary<string, string?> limits)
    {
        var settings = sharedDatabase is null ? await DatabaseSettingsAsync(provider, "registry") : PostgreSqlSettings(sharedDatabase);
        foreach (var (key, value) in limits)
        {
            settings[key] = value;
        }

        var registry = new RegistryHost(settings);
        hosts.Add(registry);
        return registry;
    }

    private async Task<Dictionary<string, string?>> DatabaseSettingsAsync(string provider, string service)
    {
        if (provider == "Sqlite")
        {
            return new()
            {
                ["PopInfo:Database:Provider"] = "Sqlite",
                ["PopInfo:Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), $"popinfo-{service}-limits-" + Guid.NewGuid().ToString("N")[..12]),
                ["PopInfo:Bus:Transport"] = "InMemory",
            };
        }

        var database = await TestInfrastructure.CreateDatabaseAsync();
        databases.Add(database);
        return PostgreSqlSettings(database);
    }

    private static Dictionary<string, string?> PostgreSqlSettings(string database) => new()
    {
        ["PopInfo:Database:Provider"] = "PostgreSql",
        ["PopInfo:Database:ConnectionString"] = database,
        ["PopInfo:Database:AllowSuperuser"] = "true",
        ["PopInfo:Bus:Transport"] = "InMemory",
    };

    private static HttpClient Caller(RegistryHost registry, string clientId, string? subject = null)
    {
        var client = registry.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token([PlatformScopes.RegistryRead], clientId: clientId, subject: subject ?? clientId));
        return client;
    }

    internal static async Task AssertRateLimitedAsync(HttpResponseMessage response, string limit)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("urn:popinfo:problem:rate-limited", (string?)problem["type"]);
        Assert.Equal("rate.limit", (string?)problem["rule"]);
        Assert.Equal(limit, (string?)problem["limit"]);
        var retryAfter = (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(retryAfter, 1, 86_400);
        Assert.Equal(retryAfter, (int)problem["retryAfterSeconds"]!);
    }

    [GeneratedRegex("name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex(@"\((sign-in\.[a-z]+)\)")]
    private static partial Regex LimitNamed();
}
