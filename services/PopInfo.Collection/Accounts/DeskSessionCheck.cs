using System.Security.Claims;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using PopInfo.Collection.Audit;
using PopInfo.Domain.Access;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Collection.Accounts;

/// <summary>
/// What the desk makes of a person signed in at the provider, and how it keeps asking: the provider's ID token
/// becomes the desk's session (user, name, role, region — only the desk's roles, with a region of the right
/// level), and at least every <c>PopInfo:Collection:SessionRecheck</c> (30 s) the session's refresh token is
/// redeemed at the provider, which refuses it once the account is disabled or its password, role or region has
/// changed. If the provider cannot answer, the session lives on for at most <see cref="Grace"/> after its last
/// good answer — so a session ends within a minute of its account's change, whatever happens.
/// </summary>
public sealed class DeskSessionCheck(
    DeskSignInOptions signIn, IOptionsMonitor<OpenIdConnectOptions> providers, RegionCatalogue regions, AuditLog audit, IConfiguration configuration,
    ILogger<DeskSessionCheck> logger)
{
    public static readonly TimeSpan DefaultRecheck = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(50);

    /// <summary>Turns the provider's ID token into the desk's session, or refuses the sign-in under a rule.</summary>
    public async Task SignedInAsync(TokenValidatedContext context)
    {
        var token = context.Principal!;
        var userName = token.FindFirstValue(PlatformClaims.Subject) ?? "";
        var role = token.FindFirstValue(PlatformClaims.Role);
        var region = token.FindFirstValue(PlatformClaims.Region);
        var who = new DeskUser(userName, role ?? "", null, null, context.HttpContext.Connection.RemoteIpAddress?.ToString());
        var rule = !PlatformRoles.Desk.Contains(role) ? "role.desk" : PlatformRoles.CheckRegion(role, region, regions);
        if (rule is not null)
        {
            await audit.WriteAsync(who, "sign-in", userName, null, "refused", $"{rule} (role {role}, region {region})", ct: context.HttpContext.RequestAborted);
            var failure = new AuthenticationFailureException($"The desk does not take this sign-in: {rule}.");
            failure.Data[DeskAuthentication.FailureRule] = rule;
            context.Fail(failure);
            return;
        }

        var community = role == PlatformRoles.Collector ? region : null;
        var street = role switch
        {
            PlatformRoles.Collector when regions.TryGet(region, out var c) => c.ParentCode,
            PlatformRoles.Supervisor => region,
            _ => null,
        };
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, userName),
            new(ClaimTypes.GivenName, token.FindFirstValue(PlatformClaims.Name) ?? userName),
            new(ClaimTypes.Role, role!),
        };
        if (community is not null)
        {
            claims.Add(new(DeskUser.CommunityClaim, community));
        }

        if (street is not null)
        {
            claims.Add(new(DeskUser.StreetClaim, street));
        }

        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, DeskAuthentication.Scheme));
        await audit.WriteAsync(who with { CommunityCode = community, StreetCode = street }, "sign-in", userName, community, "ok",
            "at the identity provider", ct: context.HttpContext.RequestAborted);
    }

    public Task ValidateAsync(CookieValidatePrincipalContext context) =>
        SessionRecheck.ValidateAsync(context, configuration.GetValue("PopInfo:Collection:SessionRecheck", DefaultRecheck), Grace, RefreshAsync);

    /// <summary>Redeems the session's refresh token; keeps the one the provider hands back (rolling refresh tokens).</summary>
    private async Task<SessionVerdict> RefreshAsync(CookieValidatePrincipalContext context)
    {
        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        if (string.IsNullOrEmpty(refreshToken))
        {
            return SessionVerdict.Ended;
        }

        var provider = providers.Get(DeskAuthentication.ProviderScheme);
        TokenResponse response;
        try
        {
            var discovered = await provider.ConfigurationManager!.GetConfigurationAsync(context.HttpContext.RequestAborted);
            response = await provider.Backchannel.RequestRefreshTokenAsync(new RefreshTokenRequest
            {
                Address = discovered.TokenEndpoint,
                ClientId = signIn.ClientId,
                ClientSecret = signIn.ClientSecret,
                RefreshToken = refreshToken,
            }, context.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            logger.LogWarning("The identity provider could not be asked about a desk session: {Error}", ex.Message);
            return SessionVerdict.Unknown;
        }

        if (response.IsError)
        {
            // invalid_grant: the account changed or the token was revoked. Anything else (a 5xx, no answer) is not a no.
            if (response.ErrorType == ResponseErrorType.Protocol && response.HttpStatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Unauthorized)
            {
                await audit.WriteAsync(DeskUser.From(context.HttpContext, context.Principal!), "session.end", context.Principal!.Identity?.Name, null, "ok",
                    $"the provider refused the session's refresh: {response.Error}", ct: context.HttpContext.RequestAborted);
                return SessionVerdict.Ended;
            }

            logger.LogWarning("The identity provider did not answer a desk session's refresh: {Error}", response.Error);
            return SessionVerdict.Unknown;
        }

        if (!string.IsNullOrEmpty(response.RefreshToken))
        {
            context.Properties.UpdateTokenValue("refresh_token", response.RefreshToken);
        }

        return SessionVerdict.Holds;
    }
}
