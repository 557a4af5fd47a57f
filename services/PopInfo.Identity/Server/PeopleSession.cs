using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using PopInfo.Identity.Accounts;
using PopInfo.Identity.Pages;

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
    private const string CheckedAt = "popinfo.checked";

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
        });
        return builder;
    }

    public static ClaimsPrincipal Principal(Account account) => new(new ClaimsIdentity(
        [new Claim("sub", account.User_Name), new Claim(StampClaim, account.Security_Stamp)], Scheme, "sub", "role"));

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow();
        if (context.Properties.Items.TryGetValue(CheckedAt, out var checkedAt) && DateTimeOffset.TryParse(checkedAt, out var at) && now - at < RecheckEvery)
        {
            return;
        }

        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountService>();
        var user = context.Principal?.FindFirst("sub")?.Value;
        if (user is null || await accounts.CurrentAsync(user, context.Principal?.FindFirst(StampClaim)?.Value, context.HttpContext.RequestAborted) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }

        context.Properties.Items[CheckedAt] = now.ToString("O");
        context.ShouldRenew = true;
    }
}
