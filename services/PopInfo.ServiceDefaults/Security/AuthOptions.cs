namespace PopInfo.ServiceDefaults.Security;

/// <summary>
/// Where tokens come from (<c>PopInfo:Auth</c>). Any standards-compliant OpenID Connect issuer will do:
/// services read its discovery document and JSON Web Key Set, nothing else. See docs/security.md.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "PopInfo:Auth";

    /// <summary>The issuer: PopInfo's identity provider by default, or a city's own (Keycloak, ADFS…).</summary>
    public Uri Authority { get; set; } = new("http://127.0.0.1:5107/");

    /// <summary>
    /// How far a token's expiry may be overstepped for clocks out of step. Small on purpose: access tokens live
    /// under a minute so that a disabled account or suspended client stops within 60 seconds everywhere.
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Each calling service's OAuth client: <c>PopInfo:Auth:Clients:{service}:ClientId</c> / <c>Secret</c>.</summary>
    public Dictionary<string, ServiceClientOptions> Clients { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Metadata over plain HTTP is accepted only from a loopback issuer (the embedded and local modes).</summary>
    public bool AllowsPlainHttp => Authority.IsLoopback;
}

/// <summary>A service's own client credentials, used for its calls to other services.</summary>
public sealed class ServiceClientOptions
{
    /// <summary>Defaults to <c>popinfo-{service}</c>.</summary>
    public string? ClientId { get; set; }

    public string? Secret { get; set; }

    /// <summary>
    /// The identity provider only: the secret <see cref="Secret"/> replaces, still accepted while this setting is
    /// there, so that a service's secret is rotated without a gap (docs/security.md, "Client secrets").
    /// </summary>
    public string? PreviousSecret { get; set; }
}
