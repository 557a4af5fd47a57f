using System.Security.Claims;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PopInfo.ServiceDefaults.Security.PeopleSignIn;

/// <summary>
/// What an application makes of a person signed in at the provider, and how it keeps asking: the provider's ID token
/// becomes the application's session (user, name, role and the application's own claims — only its roles, with a
/// region its rule takes), and at least every <see cref="PeopleSignInApplication.RecheckSetting"/> (30 s) the
/// session's refresh token is redeemed at the provider, which refuses it once the account is disabled or its password,
/// role or region has changed. If the provider cannot answer, the session lives on for at most <see cref="Grace"/>
/// after its last good answer — so a session ends within a minute of its account's change, whatever happens.
/// </summary>
public sealed class PeopleSessionCheck(
    PeopleSignInApplication application, PeopleSignInOptions signIn, IPeopleSignInEvents events, IOptionsMonitor<OpenIdConnectOptions> providers,
    IServiceProvider services, IConfiguration configuration, ILogger<PeopleSessionCheck> logger)
{
    public static readonly TimeSpan DefaultRecheck = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(50);

    /// <summary>Turns the provider's ID token into the application's session, or refuses the sign-in under a rule.</summary>
    public async Task SignedInAsync(TokenValidatedContext context)
    {
        var token = context.Principal!;
        var userName = token.FindFirstValue(PlatformClaims.Subject) ?? "";
        var role = token.FindFirstValue(PlatformClaims.Role);
        var region = token.FindFirstValue(PlatformClaims.Region);
        var person = new SignedInPerson(userName, token.FindFirstValue(PlatformClaims.Name), role, region, context.HttpContext.Connection.RemoteIpAddress?.ToString());
        var rule = role is null || !application.Roles.Contains(role) ? application.RoleRule : application.RegionRule(role, region, services);
        if (rule is not null)
        {
            await events.RefusedAsync(context.HttpContext, person, rule, context.HttpContext.RequestAborted);
            var failure = new AuthenticationFailureException($"The {application.DisplayName} does not take this sign-in: {rule}.");
            failure.Data[PeopleSignInRegistration.FailureRule] = rule;
            context.Fail(failure);
            return;
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, userName),
            new(ClaimTypes.GivenName, person.DisplayName ?? userName),
            new(ClaimTypes.Role, role!),
        };
        claims.AddRange(application.ExtraClaims(person, services));
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, application.Scheme));
        await events.SignedInAsync(context.HttpContext, person, context.Principal, context.HttpContext.RequestAborted);
    }

    public Task ValidateAsync(CookieValidatePrincipalContext context) =>
        SessionRecheck.ValidateAsync(context, configuration.GetValue(application.RecheckSetting, DefaultRecheck), Grace, RefreshAsync);

    /// <summary>Redeems the session's refresh token; keeps the one the provider hands back (rolling refresh tokens).</summary>
    private async Task<SessionVerdict> RefreshAsync(CookieValidatePrincipalContext context)
    {
        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        if (string.IsNullOrEmpty(refreshToken))
        {
            return SessionVerdict.Ended;
        }

        var provider = providers.Get(application.ProviderScheme);
        TokenResponse response;
        try
        {
            var discovered = await provider.ConfigurationManager!.GetConfigurationAsync(context.HttpContext.RequestAborted);
            response = await provider.Backchannel.RequestRefreshTokenAsync(new RefreshTokenRequest
            {
                Address = discovered.TokenEndpoint,
                ClientId = signIn.ClientId!,
                ClientSecret = signIn.ClientSecret,
                RefreshToken = refreshToken,
            }, context.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            logger.LogWarning("The identity provider could not be asked about a {Application} session: {Error}", application.DisplayName, ex.Message);
            return SessionVerdict.Unknown;
        }

        if (response.IsError)
        {
            // invalid_grant: the account changed or the token was revoked. Anything else (a 5xx, no answer) is not a no.
            if (response.ErrorType == ResponseErrorType.Protocol && response.HttpStatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Unauthorized)
            {
                await events.SessionEndedAsync(context.HttpContext, context.Principal!, $"the provider refused the session's refresh: {response.Error}",
                    context.HttpContext.RequestAborted);
                return SessionVerdict.Ended;
            }

            logger.LogWarning("The identity provider did not answer a {Application} session's refresh: {Error}", application.DisplayName, response.Error);
            return SessionVerdict.Unknown;
        }

        if (!string.IsNullOrEmpty(response.RefreshToken))
        {
            context.Properties.UpdateTokenValue("refresh_token", response.RefreshToken);
        }

        return SessionVerdict.Holds;
    }
}
