using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.Sharing.AccessReport;

/// <summary>
/// A person's access report for auditors (docs/sharing.md): the JSON, the page's sign-in, session and sign-out. The
/// person travels in the body (POST), never in a URL.
/// </summary>
public static class AccessReportApi
{
    public sealed record AccessReportSessionView(string UserName, string DisplayName, string Role);

    public static IEndpointRouteBuilder MapAccessReportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Access report").WithGroupName(SharingModule.Name);
        api.MapPost("/access-report", Report).RequireAuditor().WithName("ReadPersonAccessReport")
            .WithSummary("A person's access report (idNumber or personId in the body): every access in the sharing service, the exchange and the registry, oldest first; withheld purposes as withheld. Audited.")
            .Produces<PersonAccessReport>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/access-report/session", GetSession).RequireAuthorization(AccessReportAuthentication.Policy).WithName("GetAccessReportSession")
            .WithSummary("Who is signed in at the access report's page.");

        var page = app.MapGroup("").WithTags("Access report").WithGroupName(SharingModule.Name);
        page.MapGet(AccessReportAuthentication.SignInPath, SignIn).AllowAnonymous().WithName("AccessReportSignIn")
            .WithSummary("Sends the browser to the identity provider to sign in (authorization code with PKCE), then back to returnUrl (a path of this service).");
        page.MapPost(AccessReportAuthentication.SignOutPath, SignOut).AllowAnonymous().WithName("AccessReportSignOut")
            .WithSummary("Ends the page's session and the provider's, then back to the page.");
        return app;
    }

    public static async Task<Results<Ok<PersonAccessReport>, ProblemHttpResult>> Report(
        AccessReportRequest body, HttpContext http, AccessReportService reports, CancellationToken ct) =>
        (await reports.ReportAsync(SharingCaller.From(http), AccessReportAuthentication.AuditorOf(http.User), body, ct)).ToOkOrProblem();

    public static ChallengeHttpResult SignIn(string? returnUrl, string? loginHint) =>
        PeopleSignInEndpoints.SignIn(AccessReportAuthentication.Application, returnUrl, loginHint);

    public static async Task<Results<SignOutHttpResult, RedirectHttpResult>> SignOut(HttpContext http, ILogger<AccessReportSignInEvents> logger)
    {
        var session = await http.AuthenticateAsync(AccessReportAuthentication.Scheme);
        if (!session.Succeeded)
        {
            return TypedResults.Redirect(AccessReportPage.Path);
        }

        logger.LogInformation("Access report sign-out: {UserName}", session.Principal!.Identity?.Name);
        return PeopleSignInEndpoints.SignOut(AccessReportAuthentication.Application);
    }

    public static Ok<AccessReportSessionView> GetSession(ClaimsPrincipal user) =>
        TypedResults.Ok(new AccessReportSessionView(user.Identity!.Name!, user.FindFirstValue(ClaimTypes.GivenName) ?? "", user.FindFirstValue(ClaimTypes.Role) ?? ""));
}
