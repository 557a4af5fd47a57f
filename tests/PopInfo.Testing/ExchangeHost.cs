using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Exchange;
using PopInfo.Exchange.Projection;

namespace PopInfo.Testing;

/// <summary>
/// The exchange service in-process, on a real database and bus. Its reads of the registry's change feed go
/// to the given registry host (in-process too); webhooks go out over real loopback HTTP.
/// </summary>
public sealed class ExchangeHost(IReadOnlyDictionary<string, string?> settings, Func<HttpMessageHandler> registryHandler, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<ExchangeEntryPoint>
{
    public const string AdminKey = "exchange-admin-key-for-tests-0123456789";

    /// <summary>Fast webhook retries for tests: 4 attempts, 50 ms doubling to 200 ms.</summary>
    public static Dictionary<string, string?> FastWebhooks => new()
    {
        ["PopInfo:Exchange:Webhooks:MaxAttempts"] = "4",
        ["PopInfo:Exchange:Webhooks:FirstDelay"] = "00:00:00.050",
        ["PopInfo:Exchange:Webhooks:MaxDelay"] = "00:00:00.200",
        ["PopInfo:Exchange:Webhooks:Timeout"] = "00:00:02",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in WithTestDefaults(settings))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(s =>
        {
            s.AddHttpClient<RegistryFeed>().ConfigurePrimaryHttpMessageHandler(registryHandler);
            services?.Invoke(s);
        });
    }

    /// <summary>Starts the exchange with these settings (and the tests' defaults), which must refuse: why it did (<see cref="StartRefusal"/>).</summary>
    public static Task<Exception> StartFailureAsync(IReadOnlyDictionary<string, string?> settings) =>
        StartRefusal.OfAsync(typeof(ExchangeEntryPoint).Assembly, WithTestDefaults(settings));

    private static Dictionary<string, string?> WithTestDefaults(IReadOnlyDictionary<string, string?> settings)
    {
        var all = TestIssuer.Shared.Settings();
        all["PopInfo:Exchange:AdminKey"] = AdminKey;
        foreach (var (key, value) in FastWebhooks.Concat(TestRateLimits.Generous).Concat(settings))
        {
            all[key] = value;
        }

        return all;
    }

    /// <summary>A client with the administrator's key.</summary>
    public HttpClient CreateAdminClient() => CreateClientWithKey(AdminKey);

    public HttpClient CreateClientWithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
