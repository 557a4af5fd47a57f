using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using PopInfo.Identity.Accounts;
using PopInfo.Identity.Pages;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Identity.Server;

/// <summary>
/// A person's session at the provider (the cookie its sign-in page sets), from which the authorization endpoint
/// issues codes. HttpOnly, SameSite=Lax (the authorization request arrives by a top-level redirect from the
/// application), Secure when served over HTTPS. It is checked against the account at least every
/// <see cref="RecheckEvery"/>: a disabled account or a changed password, role or region ends it.
/// </summary>
public static class PeopleSession
{
    public const string Scheme = "popinfo-identity-session";
    public const string StampClaim = "popinfo_stamp";
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(30);

    public static IHostApplicationBuilder AddPeopleSession(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = "popinfo.identity";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.LoginPath = SignInPage.Path;
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Events.OnValidatePrincipal = ValidateAsync;
            // The administration API answers a missing session with a problem, pages with the sign-in page.
            cookie.Events.OnRedirectToLogin = context => context.Request.Path.StartsWithSegments("/api")
                ? WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "session.required", "Sign in first.")
                : Redirect(context);
            cookie.Events.OnRedirectToAccessDenied = context => context.Request.Path.StartsWithSegments("/api")
                ? WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "role.allowed", "Your role may not do this.")
                : Redirect(context);
        });
        return builder;
    }

    /// <summary>Who is signed in, in which role (a change of role renews the stamp, which ends the session).</summary>
    public static ClaimsPrincipal Principal(Account account) => new(new ClaimsIdentity(
        [new Claim("sub", account.User_Name), new Claim("role", account.Role), new Claim("name", account.Display_Name), new Claim(StampClaim, account.Security_Stamp)],
        Scheme, "sub", "role"));

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static Task WriteAsync(HttpContext http, int status, string rule, string title) =>
        new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Type = status == StatusCodes.Status401Unauthorized ? ServiceDefaults.Problems.ProblemTypes.Unauthorized : ServiceDefaults.Problems.ProblemTypes.Forbidden,
            Title = title,
            Status = status,
            Extensions = { ["rule"] = rule },
        }.ToResult().ExecuteAsync(http);

    private static Task ValidateAsync(CookieValidatePrincipalContext context) =>
        SessionRecheck.ValidateAsync(context, RecheckEvery, async (user, ct) =>
            user.FindFirst("sub")?.Value is { } name
            && await context.HttpContext.RequestServices.GetRequiredService<AccountService>().CurrentAsync(name, user.FindFirst(StampClaim)?.Value, ct) is not null);
}
