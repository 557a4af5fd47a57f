using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
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

    public static async Task<IResult> ExchangeAsync(HttpContext http, ClientStore clients, AuditLog audit, CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be read.");
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
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The service a scope is for: <c>registry.read</c> opens <c>popinfo-registry</c>.</summary>
    public static string? AudienceOf(string scope) =>
        PlatformScopes.AudienceOf.TryGetValue(scope, out var audience) ? audience : null;

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
