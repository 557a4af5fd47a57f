using System.ComponentModel.DataAnnotations;

namespace PopInfo.Identity;

/// <summary>The identity provider's settings (<c>PopInfo:Identity</c>).</summary>
public sealed class IdentityOptions
{
    public const string Section = "PopInfo:Identity";

    /// <summary>The issuer URL written into every token and the discovery document; what services name as PopInfo:Auth:Authority.</summary>
    [Required]
    public Uri Issuer { get; set; } = new("http://127.0.0.1:5107/");

    /// <summary>
    /// How long an access token lives. Under a minute, so that a disabled account, a suspended department or a
    /// revoked client stops working everywhere within 60 seconds (with the validators' 5 seconds of skew).
    /// </summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(55);

    /// <summary>
    /// The platform's applications people sign in to (authorization code with PKCE), by name:
    /// <c>PopInfo:Identity:Applications:{name}:ClientId</c>, <c>Secret</c> (none: a public client),
    /// <c>RedirectUris:0</c>…, <c>PostLogoutRedirectUris:0</c>….
    /// </summary>
    public Dictionary<string, ApplicationOptions> Applications { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether the collection service may move the desk's accounts in (<c>identity.import</c>). On by default so that
    /// an upgrade needs nobody to reset a password; turn it off once the desk's accounts have moved.
    /// </summary>
    public bool AccountImport { get; set; } = true;

    /// <summary>The first administrator's password (only when no account exists); else a random one written to a 0600 file.</summary>
    public string? AdminPassword { get; set; }
}

/// <summary>An application people sign in to.</summary>
public sealed class ApplicationOptions
{
    public string? ClientId { get; set; }

    public string? Secret { get; set; }

    public List<Uri> RedirectUris { get; set; } = [];

    public List<Uri> PostLogoutRedirectUris { get; set; } = [];
}
