using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace PopInfo.ServiceDefaults.Security.PeopleSignIn;

/// <summary>
/// What differs between the applications people sign in to (the collection desk, the planners' dashboard): names,
/// paths, the roles taken and the region rule. Everything else — the OpenID Connect client (code + PKCE), the
/// cookie, the periodic re-check of the session's refresh token with its three-way verdict, the return-URL check —
/// is <see cref="PeopleSignInRegistration"/>'s and <see cref="PeopleSessionCheck"/>'s, the same for all.
/// </summary>
public sealed class PeopleSignInApplication
{
    /// <summary>The owning service (<c>collection</c>, <c>analytics</c>), for logs.</summary>
    public required string ServiceName { get; init; }

    /// <summary>What people call it in logs and messages ("desk", "dashboard").</summary>
    public required string DisplayName { get; init; }

    /// <summary>The cookie's authentication scheme (also the key of the application's keyed services).</summary>
    public required string Scheme { get; init; }

    /// <summary>The OpenID Connect scheme that talks to the provider.</summary>
    public required string ProviderScheme { get; init; }

    /// <summary>The session cookie's name (its sign-in correlation cookies carry the provider scheme's name).</summary>
    public required string CookieName { get; init; }

    /// <summary>The settings section of <see cref="PeopleSignInOptions"/>.</summary>
    public required string SettingsSection { get; init; }

    /// <summary>The client id when the settings name none.</summary>
    public required string DefaultClientId { get; init; }

    /// <summary>The application's page: where a sign-in returns by default and a refused one lands (<c>?signIn={rule}</c>).</summary>
    public required string PagePath { get; init; }

    /// <summary>Where a browser starts signing in (named in the 401 problem).</summary>
    public required string SignInPath { get; init; }

    /// <summary>The provider sends the browser back here with the code; unique per process (the embedded host has several).</summary>
    public string CallbackPath { get; init; } = "/signin-oidc";

    /// <summary>The provider sends the browser back here after signing out; unique per process.</summary>
    public string SignedOutCallbackPath { get; init; } = "/signout-callback-oidc";

    /// <summary>The setting of how often the session is re-checked at the provider.</summary>
    public required string RecheckSetting { get; init; }

    /// <summary>The authorization policy that takes any session of the application.</summary>
    public required string Policy { get; init; }

    /// <summary>Whether the cookie is the process's default scheme (the desk's is; in the embedded host the first such wins).</summary>
    public bool IsDefaultScheme { get; init; }

    /// <summary>The roles taken; any other is refused under <see cref="RoleRule"/>.</summary>
    public required IReadOnlyList<string> Roles { get; init; }

    /// <summary>The rule a refused role is named by (<c>role.desk</c>, <c>role.dashboard</c>).</summary>
    public required string RoleRule { get; init; }

    /// <summary>The region rule: the rule a (role, region) breaks, or null when they fit.</summary>
    public required Func<string?, string?, IServiceProvider, string?> RegionRule { get; init; }

    /// <summary>The session's claims beyond name, display name and role (e.g. the desk's community and street).</summary>
    public Func<SignedInPerson, IServiceProvider, IEnumerable<Claim>> ExtraClaims { get; init; } = (_, _) => [];

    /// <summary>The region rule of a role that acts city-wide: an account bound to a region is refused (<c>region.none</c>).</summary>
    public static string? CityWide(string? role, string? region, IServiceProvider services) => string.IsNullOrEmpty(region) ? null : "region.none";

    /// <summary>
    /// Extra claims that make the session read as a token of the application's own client would: <c>sub</c> (the user) and
    /// <c>client_id</c> (the configured client id, else <paramref name="defaultClientId"/>), so audits and logs name both.
    /// </summary>
    public static Func<SignedInPerson, IServiceProvider, IEnumerable<Claim>> AsClientToken(string scheme, string defaultClientId) => (person, services) =>
    [
        new(PlatformClaims.Subject, person.UserName),
        new(PlatformClaims.ClientId, services.GetRequiredKeyedService<PeopleSignInOptions>(scheme).ClientId ?? defaultClientId),
    ];

    /// <summary>
    /// Requires a caller authenticated by a platform token or by this application's session (the page's own fetches: same
    /// origin, the cookie SameSite=Strict) whom <paramref name="allowed"/> takes; refusals answer as a token's do.
    /// <paramref name="required"/> names what is required in the 401/403 problem and the permission table.
    /// </summary>
    public TBuilder RequireTokenOrSession<TBuilder>(TBuilder builder, PlatformAuthentication.RequiredAccess required, Func<ClaimsPrincipal, bool> allowed)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(required).RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(PlatformAuthentication.Scheme, Scheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => allowed(context.User)));

    /// <summary>True when the user is signed in to this application in one of its roles.</summary>
    public bool HasSession(ClaimsPrincipal user) =>
        user.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == Scheme && Roles.Any(r => i.HasClaim(ClaimTypes.Role, r)));

    /// <summary>True when the user is signed in to this application in <paramref name="role"/> (one of its roles).</summary>
    public bool HasSession(ClaimsPrincipal user, string role) =>
        Roles.Contains(role) && user.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == Scheme && i.HasClaim(ClaimTypes.Role, role));
}

/// <summary>A person the provider signed in: user name, display name, role and region of the ID token, and the browser's address.</summary>
public sealed record SignedInPerson(string UserName, string? DisplayName, string? Role, string? Region, string? RemoteAddress);
