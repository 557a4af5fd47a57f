using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using PopInfo.Domain.Access;
using PopInfo.Identity.Accounts;
using PopInfo.ServiceDefaults.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PopInfo.Identity.Server;

/// <summary>What a person's tokens say: who, in which role and region, with which of the asked scopes their role allows.</summary>
public static class PeopleClaims
{
    /// <summary>The platform scopes each role may be given (besides openid, profile, offline_access).</summary>
    public static IReadOnlyDictionary<string, string[]> ScopesOf { get; } = new Dictionary<string, string[]>
    {
        [PlatformRoles.Admin] = [PlatformScopes.IdentityAdmin, PlatformScopes.ExchangeAdmin, PlatformScopes.AnalyticsAdmin, PlatformScopes.SharingAdmin],
        // The data-quality list of their own community or street's communities (the registry checks the region).
        [PlatformRoles.Collector] = [PlatformScopes.RegistryQualityIssues],
        [PlatformRoles.Supervisor] = [PlatformScopes.RegistryQualityIssues],
        [PlatformRoles.Planner] = [PlatformScopes.AnalyticsRead],
        // Data-quality counts per region, no person (docs/data-quality.md).
        [PlatformRoles.Operator] = [PlatformScopes.RegistryQuality],
        // A person's access report (docs/adr/0003, decision 6) and its sources: who read them, which departments got them.
        [PlatformRoles.Auditor] = [PlatformScopes.RegistryAudit, PlatformScopes.ExchangeAudit, PlatformScopes.SharingAudit],
    };

    private static readonly string[] Protocol = [Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess, Scopes.Roles];

    public static ClaimsPrincipal For(Account account, IEnumerable<string> requestedScopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, account.User_Name);
        identity.SetClaim(Claims.Name, account.Display_Name);
        identity.SetClaim(Claims.Role, account.Role);
        if (account.Region_Code is not null)
        {
            identity.SetClaim(PlatformClaims.Region, account.Region_Code);
        }

        // Kept inside codes and refresh tokens only (no destination): a refresh made after the stamp changed is refused.
        identity.SetClaim(PeopleSession.StampClaim, account.Security_Stamp);

        var allowed = ScopesOf.TryGetValue(account.Role, out var granted) ? granted : [];
        var scopes = requestedScopes.Where(s => Protocol.Contains(s) || allowed.Contains(s)).Distinct().ToList();
        identity.SetScopes(scopes);
        identity.SetResources(scopes.Select(TokenEndpoint.AudienceOf).OfType<string>().Distinct());
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Subject => [Destinations.AccessToken, Destinations.IdentityToken],
            Claims.Name or Claims.Role or PlatformClaims.Region => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [],
        });
        return new ClaimsPrincipal(identity);
    }
}
