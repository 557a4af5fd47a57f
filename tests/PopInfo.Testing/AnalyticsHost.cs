using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Analytics;
using PopInfo.Analytics.Projection;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Testing;

/// <summary>
/// The analytics service in-process on a real database and bus. Its reads of the registry (snapshot, feed, counts) go
/// to whatever handler <paramref name="registryHandler"/> gives (an in-process registry host); the projection follows
/// the registry quickly (checks every 200 ms, fills a gap after 1 s) and never reconciles on its own.
/// </summary>
public sealed class AnalyticsHost(IReadOnlyDictionary<string, string?> settings, Func<HttpMessageHandler> registryHandler) : WebApplicationFactory<AnalyticsEntryPoint>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var all = TestIssuer.Shared.Settings();
        all["PopInfo:Analytics:FeedCheckInterval"] = "00:00:00.200";
        all["PopInfo:Analytics:GapWait"] = "00:00:01";
        all["PopInfo:Analytics:ReconcileInterval"] = "00:00:00";
        foreach (var (key, value) in TestRateLimits.Generous.Concat(settings))
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(s => s.AddHttpClient<RegistryReader>().ConfigurePrimaryHttpMessageHandler(registryHandler));
    }

    /// <summary>A planner's client (<c>analytics.read</c>).</summary>
    public HttpClient CreatePlannerClient() => ClientWith(PlatformScopes.AnalyticsRead);

    /// <summary>An administrator's client (<c>analytics.admin</c>).</summary>
    public HttpClient CreateAdminClient() => ClientWith(PlatformScopes.AnalyticsAdmin);

    private HttpClient ClientWith(string scope)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestIssuer.Shared.Token([scope]));
        return client;
    }
}
