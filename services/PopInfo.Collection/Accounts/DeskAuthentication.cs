using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Accounts;

/// <summary>
/// Sign-in by cookie, for the desk page and the API alike: HttpOnly, SameSite=Strict (no other site can
/// make a browser send it), 8 hours sliding. An API call without it gets a 401 problem, not a redirect.
/// </summary>
public static class DeskAuthentication
{
    public const string Scheme = "popinfo-desk";
    public const string DeskPolicy = "desk";
    public const string AdminPolicy = "desk-admin";

    public static IHostApplicationBuilder AddDeskAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(Scheme).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = "popinfo.desk";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToLogin = context => WriteProblemAsync(context.HttpContext, new ProblemDetails
            {
                Type = ProblemTypes.Unauthorized,
                Title = "Sign in first.",
                Status = StatusCodes.Status401Unauthorized,
                Detail = "POST /api/v1/session with userName and password.",
                Extensions = { ["rule"] = "session.required" },
            });
            cookie.Events.OnRedirectToAccessDenied = context => WriteProblemAsync(context.HttpContext, new ProblemDetails
            {
                Type = ProblemTypes.Forbidden,
                Title = "Your role may not do this.",
                Status = StatusCodes.Status403Forbidden,
                Extensions = { ["rule"] = "role.allowed" },
            });
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(DeskPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser())
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(DeskRoles.Admin));
        return builder;
    }

    public static ClaimsPrincipal Principal(Account account)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, account.User_Name),
            new(ClaimTypes.GivenName, account.Display_Name),
            new(ClaimTypes.Role, account.Role),
        };
        if (account.Community_Code is not null)
        {
            claims.Add(new(DeskUser.CommunityClaim, account.Community_Code));
        }

        if (account.Street_Code is not null)
        {
            claims.Add(new(DeskUser.StreetClaim, account.Street_Code));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    public static Task SignInAsync(HttpContext http, Account account) => http.SignInAsync(Scheme, Principal(account));

    private static Task WriteProblemAsync(HttpContext http, ProblemDetails problem) => problem.ToResult().ExecuteAsync(http);
}
