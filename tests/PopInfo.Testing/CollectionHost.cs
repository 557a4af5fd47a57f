using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Collection;
using PopInfo.Contracts.Registry;

namespace PopInfo.Testing;

/// <summary>
/// The collection service in-process, on a real database and bus. Its reads of the register go to the
/// given registry host (in-process too), as they would go over loopback HTTP between processes.
/// </summary>
public sealed class CollectionHost(IReadOnlyDictionary<string, string?> settings, Func<HttpMessageHandler>? registryHandler) : WebApplicationFactory<CollectionEntryPoint>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Sessions are re-checked at the issuer on every request (30 s in production).
        builder.UseSetting("PopInfo:Collection:SessionRecheck", "00:00:00");
        foreach (var (key, value) in TestIssuer.Shared.Settings().Concat(TestRateLimits.Generous))
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (registryHandler is not null)
        {
            builder.ConfigureTestServices(services =>
                services.AddHttpClient<RegistryClient>().ConfigurePrimaryHttpMessageHandler(registryHandler));
        }
    }

    /// <summary>A client that keeps the sign-in cookie, as a browser does.</summary>
    public HttpClient CreateBrowserLikeClient() => CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
}
