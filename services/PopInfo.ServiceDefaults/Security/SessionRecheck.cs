using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;

namespace PopInfo.ServiceDefaults.Security;

/// <summary>
/// A cookie session is only as good as its account: at most every <c>every</c> the account is asked again (disabled?
/// new password, role or region?), and a session that no longer holds is rejected and its cookie removed.
/// </summary>
public static class SessionRecheck
{
    private const string CheckedAt = "popinfo.checked";

    public static async Task ValidateAsync(CookieValidatePrincipalContext context, TimeSpan every, Func<ClaimsPrincipal, CancellationToken, Task<bool>> stillValid)
    {
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (context.Properties.Items.TryGetValue(CheckedAt, out var checkedAt)
            && DateTimeOffset.TryParse(checkedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) && now - at < every)
        {
            return;
        }

        if (context.Principal is null || !await stillValid(context.Principal, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
            return;
        }

        context.Properties.Items[CheckedAt] = now.ToString("O", CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }
}
