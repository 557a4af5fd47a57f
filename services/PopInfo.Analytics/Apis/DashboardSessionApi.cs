using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.Analytics.Dashboard;
using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.Analytics.Apis;

/// <summary>
/// The dashboard's sign-in (at the identity provider), who am I, sign out: planners only. The page calls the API
/// (tables, indicators, series, projection status) with this session; programs call it with tokens.
/// </summary>
public static class DashboardSessionApi
{
    public sealed record DashboardSessionView(string UserName, string DisplayName, string Role);

    public static IEndpointRouteBuilder MapDashboardSessionApi(this IEndpointRouteBuilder app)
    {
        var page = app.MapGroup("").WithTags("Dashboard").WithGroupName(AnalyticsModule.Name);
        page.MapGet(DashboardAuthentication.SignInPath, SignIn).AllowAnonymous().WithName("DashboardSignIn")
            .WithSummary("Sends the browser to the identity provider to sign in (authorization code with PKCE), then back to returnUrl (a path of this service).");
        page.MapPost(DashboardAuthentication.SignOutPath, SignOut).AllowAnonymous().WithName("DashboardSignOut")
            .WithSummary("Ends the dashboard's session and the provider's, then back to the dashboard.");
        var api = app.MapGroup("/api/v1").WithTags("Dashboard").WithGroupName(AnalyticsModule.Name);
        api.MapGet("/session", GetSession).RequireAuthorization(DashboardAuthentication.Policy).WithName("GetDashboardSession")
            .WithSummary("Who is signed in at the dashboard.");
        return app;
    }

    public static ChallengeHttpResult SignIn(string? returnUrl, string? loginHint) =>
        PeopleSignInEndpoints.SignIn(DashboardAuthentication.Application, returnUrl, loginHint);

    public static async Task<Results<SignOutHttpResult, RedirectHttpResult>> SignOut(HttpContext http, ILogger<DashboardSignInEvents> logger)
    {
        var session = await http.AuthenticateAsync(DashboardAuthentication.Scheme);
        if (!session.Succeeded)
        {
            return TypedResults.Redirect(DashboardPage.Path);
        }

        logger.LogInformation("Dashboard sign-out: {UserName}", session.Principal!.Identity?.Name);
        return PeopleSignInEndpoints.SignOut(DashboardAuthentication.Application);
    }

    public static Ok<DashboardSessionView> GetSession(ClaimsPrincipal user) =>
        TypedResults.Ok(new DashboardSessionView(user.Identity!.Name!, user.FindFirstValue(ClaimTypes.GivenName) ?? "", user.FindFirstValue(ClaimTypes.Role) ?? ""));
}
