using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using PopInfo.Domain.Access;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.ServiceDefaults.Security.PeopleSignIn;

/// <summary>The sign-in and sign-out answers of an application people sign in to; its endpoints (named, in its own API) call these.</summary>
public static class PeopleSignInEndpoints
{
    /// <summary>
    /// A return address the application takes: only one of its own paths — never an address elsewhere (an open
    /// redirect), no scheme-relative <c>//host</c>, no backslash, no control or odd characters; else <paramref name="fallback"/>.
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl, string fallback) =>
        returnUrl is { Length: > 0 and <= 500 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.Contains('\\') && TextViolations.Of("returnUrl", returnUrl) is null ? returnUrl : fallback;

    /// <summary>Sends the browser to the provider (code with PKCE), with the user name as <c>login_hint</c> when it has a user name's form.</summary>
    public static ChallengeHttpResult SignIn(PeopleSignInApplication application, string? returnUrl, string? loginHint)
    {
        var properties = new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl, application.PagePath) };
        if (PlatformRoles.IsUserName(loginHint))
        {
            properties.Items[PeopleSignInRegistration.LoginHint] = loginHint;
        }

        return TypedResults.Challenge(properties, [application.ProviderScheme]);
    }

    /// <summary>Ends the application's session and the provider's (end-session with the ID token as hint), then back to the page.</summary>
    public static SignOutHttpResult SignOut(PeopleSignInApplication application) =>
        TypedResults.SignOut(new AuthenticationProperties { RedirectUri = application.PagePath }, [application.ProviderScheme, application.Scheme]);

    /// <summary>
    /// The sign-out endpoint's answer: with a session of the application, <see cref="SignOut"/> (logged with the user name);
    /// without one, back to the page.
    /// </summary>
    public static async Task<Results<SignOutHttpResult, RedirectHttpResult>> SignOutAsync(PeopleSignInApplication application, HttpContext http, ILogger logger)
    {
        var session = await http.AuthenticateAsync(application.Scheme);
        if (!session.Succeeded)
        {
            return TypedResults.Redirect(application.PagePath);
        }

        logger.LogInformation("{Application} sign-out: {UserName}", application.DisplayName, session.Principal!.Identity?.Name);
        return SignOut(application);
    }
}
