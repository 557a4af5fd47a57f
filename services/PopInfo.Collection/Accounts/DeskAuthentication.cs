using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Security;

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
            cookie.Events.OnValidatePrincipal = RecheckAsync;
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

    /// <summary>
    /// A session is checked against its account at least this often (<c>PopInfo:Collection:SessionRecheck</c>,
    /// default 30 s): a disabled account, a new password, role or region ends it — not the cookie's 8 hours.
    /// </summary>
    public static readonly TimeSpan DefaultRecheck = TimeSpan.FromSeconds(30);

    private const string CredentialClaim = "popinfo:credential";

    public static ClaimsPrincipal Principal(Account account)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, account.User_Name),
            new(ClaimTypes.GivenName, account.Display_Name),
            new(ClaimTypes.Role, account.Role),
            new(CredentialClaim, Credential(account)),
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

    /// <summary>What a session must still match: a fingerprint of the password hash (it changes with the password), role and region.</summary>
    private static string Credential(Account account) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes($"{account.Password_Hash}|{account.Role}|{account.Community_Code}|{account.Street_Code}")))[..32];

    private static Task RecheckAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var every = services.GetRequiredService<IConfiguration>().GetValue("PopInfo:Collection:SessionRecheck", DefaultRecheck);
        return SessionRecheck.ValidateAsync(context, every, async (user, ct) =>
            await services.GetRequiredService<AccountService>().FindAsync(user.Identity?.Name ?? "", ct) is { Disabled: false } account
            && Credential(account) == user.FindFirstValue(CredentialClaim));
    }

    public static Task SignInAsync(HttpContext http, Account account) => http.SignInAsync(Scheme, Principal(account));

    private static Task WriteProblemAsync(HttpContext http, ProblemDetails problem) => problem.ToResult().ExecuteAsync(http);
}
