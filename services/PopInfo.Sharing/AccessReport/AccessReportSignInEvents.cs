using System.Security.Claims;
using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.Sharing.AccessReport;

/// <summary>The page's record of its sessions: the service's log, the user name and role only (every report asked is in the access audit).</summary>
public sealed partial class AccessReportSignInEvents(ILogger<AccessReportSignInEvents> logger) : IPeopleSignInEvents
{
    public Task RefusedAsync(HttpContext http, SignedInPerson person, string rule, CancellationToken ct)
    {
        Refused(logger, person.UserName, person.Role, rule);
        return Task.CompletedTask;
    }

    public Task SignedInAsync(HttpContext http, SignedInPerson person, ClaimsPrincipal session, CancellationToken ct)
    {
        SignedIn(logger, person.UserName);
        return Task.CompletedTask;
    }

    public Task SessionEndedAsync(HttpContext http, ClaimsPrincipal session, string reason, CancellationToken ct)
    {
        Ended(logger, session.Identity?.Name, reason);
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Warning, "Access report sign-in refused: {UserName} (role {Role}) under {Rule}")]
    private static partial void Refused(ILogger logger, string userName, string? role, string rule);

    [LoggerMessage(LogLevel.Information, "Access report sign-in: {UserName}")]
    private static partial void SignedIn(ILogger logger, string userName);

    [LoggerMessage(LogLevel.Information, "Access report session of {UserName} ended: {Reason}")]
    private static partial void Ended(ILogger logger, string? userName, string reason);
}
