using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using PopInfo.Identity.Accounts;
using PopInfo.Identity.Audit;
using PopInfo.Identity.Clients;
using PopInfo.ServiceDefaults.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace PopInfo.Identity.Server;

/// <summary>
/// The token endpoint's decisions after OpenIddict has checked the protocol (client authentication, grant type,
/// scope permissions): a suspended client gets no token; a token names its client, its scopes and the services
/// those scopes open (its audiences).
/// </summary>
public static class TokenEndpoint
{
    public const string Path = "/connect/token";

    public static async Task<Results<SignInHttpResult, ForbidHttpResult>> ExchangeAsync(HttpContext http, ClientStore clients, AccountService accounts, AuditLog audit, CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be read.");
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            return await ForPersonAsync(http, request, accounts, audit, ct);
        }

        if (!request.IsClientCredentialsGrantType())
        {
            return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported here.");
        }

        var clientId = request.ClientId!;
        var client = await clients.FindAsync(clientId, ct);
        if (client is not { Status: ClientStore.Active })
        {
            await audit.WriteAsync(new(clientId, "client", "token", clientId, "refused", client is null ? "unknown client" : "client suspended",
                http.Connection.RemoteIpAddress?.ToString()), ct);
            return Refuse(Errors.InvalidClient, "This client is suspended.");
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, clientId);
        identity.SetClaim(Claims.Name, client.Display_Name);
        identity.SetScopes(request.GetScopes());
        identity.SetResources(request.GetScopes().Select(AudienceOf).OfType<string>().Distinct());
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        return TypedResults.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// A code or refresh token speaks for the account only while its stamp is the one it was made with: a disabled
    /// account, a new password, role or region gets no more tokens (so sessions end within an access token's life).
    /// The new tokens carry the account as it is now.
    /// </summary>
    private static async Task<Results<SignInHttpResult, ForbidHttpResult>> ForPersonAsync(HttpContext http, OpenIddictRequest request, AccountService accounts, AuditLog audit, CancellationToken ct)
    {
        var earlier = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var userName = earlier?.GetClaim(Claims.Subject);
        var account = userName is null ? null : await accounts.CurrentAsync(userName, earlier!.GetClaim(PeopleSession.StampClaim), ct);
        if (account is null)
        {
            await audit.WriteAsync(new(userName ?? "?", null, request.IsRefreshTokenGrantType() ? "token.refresh" : "token.code", request.ClientId, "refused",
                "account disabled or changed since sign-in", http.Connection.RemoteIpAddress?.ToString()), ct);
            return Refuse(Errors.InvalidGrant, "The account was disabled or changed since sign-in: sign in again.");
        }

        return TypedResults.SignIn(PeopleClaims.For(account, earlier!.GetScopes()), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The service a scope is for: <c>registry.read</c> opens <c>popinfo-registry</c>.</summary>
    public static string? AudienceOf(string scope) =>
        PlatformScopes.AudienceOf.TryGetValue(scope, out var audience) ? audience : null;

    private static ForbidHttpResult Refuse(string error, string description) => TypedResults.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
