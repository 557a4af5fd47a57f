using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Testing;

/// <summary>
/// A second, minimal OpenID Connect issuer of the tests' own — its own RSA key, discovery document, key set and
/// client-credentials token endpoint, on a real loopback port — that is not PopInfo's identity provider. Services
/// under test trust it by configuration alone (<c>PopInfo:Auth:Authority</c>): the proof that a city's own provider
/// can take the platform's place. Tests also mint tokens with it directly (any scope, role or region).
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    /// <summary>The secret of every platform service's client (<c>popinfo-{service}</c>) at this issuer.</summary>
    public const string ServiceSecret = "test-issuer-service-secret";

    private static readonly Lazy<Task<TestIssuer>> SharedIssuer = new(StartAsync);

    private readonly RsaSecurityKey key = new(RSA.Create(2048)) { KeyId = "test-" + Guid.NewGuid().ToString("N")[..8] };
    private readonly TestIssuerPeople people;

    private TestIssuer() => people = new TestIssuerPeople(this);

    /// <summary>The people who may sign in here (authorization code with PKCE), for the desk's tests.</summary>
    public TestIssuerPeople People => people;

    internal SigningCredentials SigningCredentials => new(key, SecurityAlgorithms.RsaSha256);
    private WebApplication? app;

    /// <summary>One issuer for the whole test run.</summary>
    public static TestIssuer Shared => SharedIssuer.Value.GetAwaiter().GetResult();

    /// <summary>The issuer URL (what <c>PopInfo:Auth:Authority</c> names), with a trailing slash.</summary>
    public string Authority { get; private set; } = "";

    /// <summary>Tokens handed out at the token endpoint, for tests that count them.</summary>
    public int TokensIssued => tokensIssued;

    private int tokensIssued;

    /// <summary>
    /// The settings that make a service trust this issuer and get its own tokens from it — and, since every host of the
    /// tests takes these, the run's master key of stored secrets (<see cref="TestSecrets"/>).
    /// </summary>
    public Dictionary<string, string?> Settings() => new(TestSecrets.Settings())
    {
        ["PopInfo:Auth:Authority"] = Authority,
        ["PopInfo:Auth:Clients:collection:Secret"] = ServiceSecret,
        ["PopInfo:Auth:Clients:exchange:Secret"] = ServiceSecret,
        ["PopInfo:Auth:Clients:sharing:Secret"] = ServiceSecret,
        ["PopInfo:Auth:Clients:analytics:Secret"] = ServiceSecret,
        ["PopInfo:Auth:Clients:monitoring:Secret"] = ServiceSecret,
        // The desk signs people in here (authorization code with PKCE) as the confidential client popinfo-desk.
        ["PopInfo:Collection:SignIn:ClientSecret"] = ServiceSecret,
        // The planners' dashboard likewise, as the confidential client popinfo-dashboard.
        ["PopInfo:Analytics:SignIn:ClientSecret"] = ServiceSecret,
        // The access report's page likewise, as the confidential client popinfo-access-report.
        ["PopInfo:Sharing:SignIn:ClientSecret"] = ServiceSecret,
        // The monitoring dashboard likewise, as the confidential client popinfo-monitor.
        ["PopInfo:Monitoring:SignIn:ClientSecret"] = ServiceSecret,
    };

    /// <summary>The same, as environment variables for a service process.</summary>
    public Dictionary<string, string> EnvironmentVariables() =>
        Settings().ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);

    public static async Task<TestIssuer> StartAsync()
    {
        var issuer = new TestIssuer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        issuer.app = builder.Build();
        issuer.Map(issuer.app);
        await issuer.app.StartAsync();
        var address = issuer.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer.Authority = address.TrimEnd('/') + "/";
        return issuer;
    }

    private void Map(WebApplication web)
    {
        web.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["jwks_uri"] = Authority + "jwks",
            ["token_endpoint"] = Authority + "token",
            ["authorization_endpoint"] = Authority + "authorize",
            ["end_session_endpoint"] = Authority + "endsession",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["grant_types_supported"] = new[] { "client_credentials", "authorization_code", "refresh_token" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        people.Map(web);
        web.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false)) { KeyId = key.KeyId });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", kid = jwk.Kid, alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        web.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var (clientId, secret) = ((string?)form["client_id"], (string?)form["client_secret"]);
            // client_secret_basic (RFC 6749 §2.3.1), which every server must take: form-encoded id:secret in Basic.
            if (request.Headers.Authorization.ToString() is { } header && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            {
                var pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())).Split(':', 2);
                (clientId, secret) = (Uri.UnescapeDataString(pair[0].Replace('+', ' ')), Uri.UnescapeDataString(pair[1].Replace('+', ' ')));
            }

            if (clientId is null || !clientId.StartsWith("popinfo-", StringComparison.Ordinal) || secret != ServiceSecret)
            {
                return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            }

            if (form["grant_type"] != "client_credentials")
            {
                return people.Token(form, clientId);
            }

            Interlocked.Increment(ref tokensIssued);
            var scopes = ((string?)form["scope"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return Results.Json(new { access_token = Token(scopes, clientId: clientId), token_type = "Bearer", expires_in = 300 });
        });
    }

    /// <summary>
    /// A signed access token. Its audiences follow from its scopes (as the platform's provider does it) unless given.
    /// </summary>
    public string Token(IEnumerable<string> scopes, string clientId = "popinfo-tests", string? subject = null, string? role = null,
        string? region = null, TimeSpan? lifetime = null, IEnumerable<string>? audiences = null, SecurityKey? signWith = null)
    {
        var scopeList = scopes.ToList();
        var audienceList = (audiences ?? scopeList.Select(s => PlatformScopes.AudienceOf.TryGetValue(s, out var a) ? a : null).OfType<string>()).Distinct().ToList();
        var claims = new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = subject ?? clientId,
            [PlatformClaims.ClientId] = clientId,
            [PlatformClaims.Scope] = string.Join(' ', scopeList),
            ["aud"] = audienceList.Count == 1 ? audienceList[0] : audienceList,
        };
        if (role is not null)
        {
            claims[PlatformClaims.Role] = role;
        }

        if (region is not null)
        {
            claims[PlatformClaims.Region] = region;
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromHours(2)),
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(signWith ?? key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A token for the register with both its scopes: what the registry's tests act as.</summary>
    public string RegistryToken() => Token([PlatformScopes.RegistryRead, PlatformScopes.RegistryWrite]);

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}
