using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using PopInfo.Identity.Accounts;
using PopInfo.Identity.Audit;

namespace PopInfo.Identity.Server;

/// <summary>
/// The authorization endpoint (authorization code with PKCE): a person without a session is sent to the sign-in
/// page and comes back; one with a session gets a code for the application, with the claims of their account as
/// it is now. Consent is implicit: every application here is the platform's own.
/// </summary>
public static class AuthorizeEndpoint
{
    public const string Path = "/connect/authorize";
    public const string EndSessionPath = "/connect/endsession";

    public static async Task<Results<ChallengeHttpResult, SignInHttpResult>> AuthorizeAsync(HttpContext http, AccountService accounts, AuditLog audit, CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be read.");
        var session = await http.AuthenticateAsync(PeopleSession.Scheme);
        var account = session.Succeeded
            ? await accounts.CurrentAsync(session.Principal!.FindFirst("sub")!.Value, session.Principal.FindFirst(PeopleSession.StampClaim)?.Value, ct)
            : null;
        if (account is null)
        {
            var query = http.Request.HasFormContentType ? QueryString.Create((await http.Request.ReadFormAsync(ct)).Select(f => KeyValuePair.Create(f.Key, (string?)f.Value.ToString()))) : http.Request.QueryString;
            return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + query }, [PeopleSession.Scheme]);
        }

        await audit.WriteAsync(new(account.User_Name, account.Role, "authorize", request.ClientId, "ok", string.Join(' ', request.GetScopes()),
            http.Connection.RemoteIpAddress?.ToString()), ct);
        return TypedResults.SignIn(PeopleClaims.For(account, request.GetScopes()), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>Ends the person's session at the provider and goes back to the application (a registered address only).</summary>
    public static async Task<SignOutHttpResult> EndSessionAsync(HttpContext http)
    {
        await http.SignOutAsync(PeopleSession.Scheme);
        return TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
