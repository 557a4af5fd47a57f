using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.Monitoring.Dashboard;

/// <summary>The monitoring page's sign-in, session and sign-out (docs/monitoring.md, "Dashboard").</summary>
public static class MonitorSessionApi
{
    /// <summary>Who is signed in at the page: user name, display name and role (operator or auditor), which decides the tabs shown.</summary>
    public sealed record MonitorSessionView(string UserName, string DisplayName, string Role);

    public static IEndpointRouteBuilder MapMonitorSessionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Dashboard").WithGroupName(MonitoringModule.Name);
        api.MapGet("/session", GetMonitorSession).RequireAuthorization(MonitorAuthentication.Policy).WithName("monitoring-session")
            .WithSummary("Who is signed in at the monitoring page (operator or auditor).");

        var page = app.MapGroup("").WithTags("Dashboard").WithGroupName(MonitoringModule.Name);
        page.MapGet(MonitorAuthentication.SignInPath, MonitorSignIn).AllowAnonymous().WithName("monitoring-sign-in")
            .WithSummary("Sends the browser to the identity provider to sign in (authorization code with PKCE), then back to returnUrl (a path of this service).");
        page.MapPost(MonitorAuthentication.SignOutPath, MonitorSignOut).AllowAnonymous().WithName("monitoring-sign-out")
            .WithSummary("Ends the page's session and the provider's, then back to the page.");
        return app;
    }

    public static ChallengeHttpResult MonitorSignIn(string? returnUrl, string? loginHint) =>
        PeopleSignInEndpoints.SignIn(MonitorAuthentication.Application, returnUrl, loginHint);

    public static Task<Results<SignOutHttpResult, RedirectHttpResult>> MonitorSignOut(HttpContext http, ILogger<MonitorSignInEvents> logger) =>
        PeopleSignInEndpoints.SignOutAsync(MonitorAuthentication.Application, http, logger);

    public static Ok<MonitorSessionView> GetMonitorSession(ClaimsPrincipal user) =>
        TypedResults.Ok(new MonitorSessionView(user.Identity!.Name!, user.FindFirstValue(ClaimTypes.GivenName) ?? "", user.FindFirstValue(ClaimTypes.Role) ?? ""));
}
