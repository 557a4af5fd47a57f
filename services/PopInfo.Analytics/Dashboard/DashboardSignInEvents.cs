using System.Security.Claims;
using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.Analytics.Dashboard;

/// <summary>
/// The dashboard's record of its sessions: the service's log (it keeps no audit table of people; the provider audits
/// every sign-in, and the query log every figure asked for). Only the user name and role, never a person's data.
/// </summary>
public sealed partial class DashboardSignInEvents(ILogger<DashboardSignInEvents> logger) : IPeopleSignInEvents
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

    [LoggerMessage(LogLevel.Warning, "Dashboard sign-in refused: {UserName} (role {Role}) under {Rule}")]
    private static partial void Refused(ILogger logger, string userName, string? role, string rule);

    [LoggerMessage(LogLevel.Information, "Dashboard sign-in: {UserName}")]
    private static partial void SignedIn(ILogger logger, string userName);

    [LoggerMessage(LogLevel.Information, "Dashboard session of {UserName} ended: {Reason}")]
    private static partial void Ended(ILogger logger, string? userName, string reason);
}
