using System.Security.Claims;

namespace PopInfo.ServiceDefaults.Security;

/// <summary>Who a validated token speaks for: a client (a service, a department) or a person through a client.</summary>
public sealed record TokenCaller(string Subject, string? ClientId, string? Role, string? Region, IReadOnlySet<string> Scopes)
{
    public static TokenCaller From(ClaimsPrincipal user) => new(
        user.FindFirst(PlatformClaims.Subject)?.Value ?? "",
        user.FindFirst(PlatformClaims.ClientId)?.Value ?? user.FindFirst("azp")?.Value,
        user.FindFirst(PlatformClaims.Role)?.Value,
        user.FindFirst(PlatformClaims.Region)?.Value,
        ScopesOf(user));

    /// <summary>The scopes of a token: space-separated in <c>scope</c> (RFC 9068) or <c>scp</c>, one or several claims.</summary>
    public static IReadOnlySet<string> ScopesOf(ClaimsPrincipal user) => user.Claims
        .Where(c => c.Type is PlatformClaims.Scope or PlatformClaims.ScopeAlternative)
        .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// True when the token carries the scope for the service the scope belongs to (its <c>aud</c> names
    /// <see cref="PlatformScopes.AudienceOf"/> the scope). A process serving several services (the embedded host)
    /// accepts all their audiences, so the audience alone does not say which service a token was issued for.
    /// </summary>
    public static bool HasScope(ClaimsPrincipal user, string scope) =>
        ScopesOf(user).Contains(scope)
        && (!PlatformScopes.AudienceOf.TryGetValue(scope, out var audience) || user.Claims.Any(c => c.Type == "aud" && c.Value == audience));

    /// <summary>The name recorded as the source of a change: the client that sent it.</summary>
    public string Source => ClientId ?? Subject;
}
