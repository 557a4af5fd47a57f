using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Identity;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Testing;

/// <summary>
/// The identity provider in-process. Its issuer is <see cref="Issuer"/>; the platform services' clients have the
/// secret <see cref="TestIssuer.ServiceSecret"/>. Its own administration API trusts the tests' issuer (any issuer
/// will do), so tests act as an administrator with a minted <c>identity.admin</c> token.
/// </summary>
public sealed class IdentityHost(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<IdentityEntryPoint>
{
    public const string Issuer = "http://127.0.0.1:5107/";

    /// <summary>The first administrator's password in the test hosts and processes.</summary>
    public const string AdminPassword = "identity-admin-password-for-tests";

    /// <summary>Services a test puts in place of the host's (its clock, say), before the host starts.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (TestServices is { } testServices)
        {
            builder.ConfigureTestServices(testServices);
        }

        foreach (var (key, value) in TestIssuer.Shared.Settings().Concat(TestRateLimits.Generous))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("PopInfo:Identity:Issuer", Issuer);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Why the provider's own program refuses to start with these settings (on SQLite in a fresh folder; <see cref="StartRefusal"/>).</summary>
    public static Task<Exception> StartFailureAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var all = TestIssuer.Shared.Settings();
        all["PopInfo:Identity:Issuer"] = Issuer;
        all["PopInfo:Database:Provider"] = "Sqlite";
        all["PopInfo:Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "popinfo-identity-" + Guid.NewGuid().ToString("N")[..12]);
        foreach (var (key, value) in TestRateLimits.Generous.Concat(settings))
        {
            all[key] = value;
        }

        return StartRefusal.OfAsync(typeof(IdentityEntryPoint).Assembly, all);
    }

    /// <summary>The identity provider on SQLite in a fresh folder.</summary>
    public static IdentityHost OnSqlite(IReadOnlyDictionary<string, string?>? more = null) => new(new Dictionary<string, string?>(more ?? new Dictionary<string, string?>())
    {
        ["PopInfo:Database:Provider"] = "Sqlite",
        ["PopInfo:Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "popinfo-identity-" + Guid.NewGuid().ToString("N")[..12]),
    });

    /// <summary>A client-credentials token request: the status and the answer (the token, or OAuth's error).</summary>
    public async Task<(int Status, System.Text.Json.Nodes.JsonObject Body)> ClientCredentialsAsync(string clientId, string secret, string scope)
    {
        using var http = CreateClient();
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = scope,
        }));
        return ((int)response.StatusCode, System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>The key ids in the provider's key set (found through its discovery document), in its order.</summary>
    public async Task<IReadOnlyList<string>> PublishedKeyIdsAsync()
    {
        using var http = CreateClient();
        var (_, discovery) = await http.GetJsonAsync("/.well-known/openid-configuration");
        var (_, keys) = await http.GetJsonAsync(new Uri((string)discovery["jwks_uri"]!).PathAndQuery);
        return [.. keys["keys"]!.AsArray().Select(k => (string)k!["kid"]!)];
    }

    /// <summary>An administrator's client (a token of the tests' issuer with identity.admin).</summary>
    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            TestIssuer.Shared.Token([PlatformScopes.IdentityAdmin], subject: "admin", role: "admin"));
        return client;
    }

    /// <summary>A registry that trusts this provider (discovery and keys read from it in-process), on SQLite.</summary>
    public WebApplicationFactory<Registry.RegistryEntryPoint> RegistryTrustingThis()
    {
        var registry = RegistryHost.OnSqlite();
        return registry.WithWebHostBuilder(b =>
        {
            b.UseSetting("PopInfo:Auth:Authority", Issuer);
            b.ConfigureTestServices(s => s.Configure<JwtBearerOptions>(PlatformAuthentication.Scheme, o => o.BackchannelHttpHandler = Server.CreateHandler()));
        });
    }
}
