using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PopInfo.ServiceDefaults.Security;

/// <summary>
/// A service's own access tokens for calling other services: OAuth 2.0 client credentials at the issuer's
/// token endpoint (found through its discovery document), kept until three quarters of their life is over.
/// </summary>
public sealed class ServiceTokenSource(string serviceName, IHttpClientFactory httpClients, IOptions<AuthOptions> options, TimeProvider clock) : IDisposable
{
    /// <summary>The HTTP client used for discovery and token requests.</summary>
    public const string HttpClientName = "popinfo-token";

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset RenewAt)> tokens = new();
    private readonly SemaphoreSlim gate = new(1, 1);
    private DiscoveryCache? discovery;

    public string ClientId => Client.ClientId ?? "popinfo-" + serviceName;

    private ServiceClientOptions Client => options.Value.Clients.TryGetValue(serviceName, out var client) ? client : new ServiceClientOptions();

    public async Task<string> GetAsync(string scope, CancellationToken ct)
    {
        if (tokens.TryGetValue(scope, out var held) && held.RenewAt > clock.GetUtcNow())
        {
            return held.Token;
        }

        await gate.WaitAsync(ct);
        try
        {
            if (tokens.TryGetValue(scope, out held) && held.RenewAt > clock.GetUtcNow())
            {
                return held.Token;
            }

            var secret = Client.Secret;
            if (string.IsNullOrEmpty(secret))
            {
                throw new InvalidOperationException($"PopInfo:Auth:Clients:{serviceName}:Secret is not set: the {serviceName} service cannot call other services.");
            }

            discovery ??= new DiscoveryCache(options.Value.Authority.ToString(), () => httpClients.CreateClient(HttpClientName),
                new DiscoveryPolicy { RequireHttps = !options.Value.AllowsPlainHttp });
            var document = await discovery.GetAsync();
            if (document.IsError)
            {
                discovery.Refresh();
                throw new HttpRequestException($"The issuer's discovery document could not be read: {document.Error}");
            }

            using var http = httpClients.CreateClient(HttpClientName);
            var response = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = document.TokenEndpoint,
                ClientId = ClientId,
                ClientSecret = secret,
                Scope = scope,
            }, ct);
            if (response.IsError || response.AccessToken is null)
            {
                throw new HttpRequestException($"The issuer refused a token to {ClientId}: {response.Error}", null, HttpStatusCode.Unauthorized);
            }

            var renewAt = clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(1, response.ExpiresIn * 3 / 4));
            tokens[scope] = (response.AccessToken, renewAt);
            return response.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    /// <summary>Drops a token the other side refused (revoked keys, a restarted issuer), so the next call asks anew.</summary>
    public void Forget(string scope) => tokens.TryRemove(scope, out _);
}

/// <summary>Puts the service's token on every request of an HTTP client; asks for a fresh one once on a 401.</summary>
public sealed class ServiceTokenHandler(ServiceTokenSource source, string scope) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await source.GetAsync(scope, cancellationToken));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        source.Forget(scope);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await source.GetAsync(scope, cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}

public static class ServiceTokenRegistration
{
    /// <summary>The client's calls carry <paramref name="serviceName"/>'s own token with these (space-separated) scopes.</summary>
    public static IHttpClientBuilder AddServiceToken(this IHttpClientBuilder client, string serviceName, string scope)
    {
        client.Services.AddHttpClient(ServiceTokenSource.HttpClientName);
        client.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        client.Services.TryAddKeyedSingleton(serviceName, (sp, _) => new ServiceTokenSource(
            serviceName, sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<IOptions<AuthOptions>>(), sp.GetRequiredService<TimeProvider>()));
        return client.AddHttpMessageHandler(sp => new ServiceTokenHandler(sp.GetRequiredKeyedService<ServiceTokenSource>(serviceName), scope));
    }
}
