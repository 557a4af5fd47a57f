using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Collection.Accounts;
using PopInfo.Collection.Audit;
using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.Collection.Apis;

/// <summary>
/// Sign in (at the identity provider), who am I, sign out. Accounts are managed at the provider's
/// administrators' page, not here.
/// </summary>
public static class SessionApi
{
    public sealed record SessionView(string UserName, string DisplayName, string Role, string? CommunityCode, string? StreetCode);

    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        var page = app.MapGroup("").WithTags("Session").WithGroupName(CollectionModule.Name);
        page.MapGet(DeskAuthentication.SignInPath, SignIn).AllowAnonymous().WithName("DeskSignIn")
            .WithSummary("Sends the browser to the identity provider to sign in (authorization code with PKCE), then back to returnUrl (a path of the desk).");
        page.MapPost(DeskAuthentication.SignOutPath, SignOut).AllowAnonymous().WithName("DeskSignOut")
            .WithSummary("Ends the desk's session and the provider's, then back to the desk's page.");

        var api = app.MapGroup("/api/v1").WithTags("Session").WithGroupName(CollectionModule.Name);
        api.MapGet("/session", GetSession).RequireAuthorization(DeskAuthentication.DeskPolicy).WithName("GetSession").WithSummary("Who is signed in.");
        return app;
    }

    public static ChallengeHttpResult SignIn(string? returnUrl, string? loginHint) =>
        PeopleSignInEndpoints.SignIn(DeskAuthentication.Application, returnUrl, loginHint);

    public static async Task<Results<SignOutHttpResult, RedirectHttpResult>> SignOut(HttpContext http, AuditLog audit, CancellationToken ct)
    {
        var session = await http.AuthenticateAsync(DeskAuthentication.Scheme);
        if (!session.Succeeded)
        {
            return TypedResults.Redirect(DeskPage.Path);
        }

        await audit.WriteAsync(DeskUser.From(http, session.Principal!), "sign-out", null, null, "ok", ct: ct);
        // The provider's session ends too (end-session with the ID token as hint), then the provider sends the browser back.
        return PeopleSignInEndpoints.SignOut(DeskAuthentication.Application);
    }

    public static Ok<SessionView> GetSession(ClaimsPrincipal user) =>
        TypedResults.Ok(new SessionView(user.Identity!.Name!, user.FindFirstValue(ClaimTypes.GivenName) ?? "", user.FindFirstValue(ClaimTypes.Role) ?? "",
            user.FindFirstValue(DeskUser.CommunityClaim), user.FindFirstValue(DeskUser.StreetClaim)));
}
