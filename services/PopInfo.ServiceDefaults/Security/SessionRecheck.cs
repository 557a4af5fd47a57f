using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;

namespace PopInfo.ServiceDefaults.Security;

/// <summary>What asking again about a session found.</summary>
public enum SessionVerdict
{
    /// <summary>The account still stands behind the session.</summary>
    Holds,

    /// <summary>Disabled, a new password, role or region: the session ends.</summary>
    Ended,

    /// <summary>Nobody could answer now (the provider is away): the session lives on, up to the grace.</summary>
    Unknown,
}

/// <summary>
/// A cookie session is only as good as its account: at most every <c>every</c> the account is asked again (disabled?
/// new password, role or region?), and a session that no longer holds is rejected and its cookie removed.
/// </summary>
public static class SessionRecheck
{
    private const string CheckedAt = "popinfo.checked";

    public static Task ValidateAsync(CookieValidatePrincipalContext context, TimeSpan every, Func<ClaimsPrincipal, CancellationToken, Task<bool>> stillValid) =>
        ValidateAsync(context, every, TimeSpan.Zero, async c => await stillValid(c.Principal!, c.HttpContext.RequestAborted) ? SessionVerdict.Holds : SessionVerdict.Ended);

    /// <summary>
    /// Asks <paramref name="check"/> at most every <paramref name="every"/>. While the check cannot answer
    /// (<see cref="SessionVerdict.Unknown"/>) a session goes on for <paramref name="grace"/> after its last good answer; past
    /// it the session ends — fail closed, so that "ends within a minute" holds even while the provider is away.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context, TimeSpan every, TimeSpan grace, Func<CookieValidatePrincipalContext, Task<SessionVerdict>> check)
    {
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var lastGood = context.Properties.Items.TryGetValue(CheckedAt, out var checkedAt)
            && DateTimeOffset.TryParse(checkedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : context.Properties.IssuedUtc;
        if (lastGood is { } good && now - good < every)
        {
            return;
        }

        var verdict = context.Principal is null ? SessionVerdict.Ended : await check(context);
        if (verdict == SessionVerdict.Unknown && lastGood is { } last && now - last < grace)
        {
            return;
        }

        if (verdict != SessionVerdict.Holds)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
            return;
        }

        context.Properties.Items[CheckedAt] = now.ToString("O", CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }
}
