using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PopInfo.ServiceDefaults.Security.PeopleSignIn;

/// <summary>
/// A page's record of its sessions in the service's log, for a page that keeps no audit table of people (the provider
/// audits every sign-in): only the user name and role, never a person's data.
/// </summary>
public abstract partial class LoggedSignInEvents(ILogger logger, string page) : IPeopleSignInEvents
{
    public Task RefusedAsync(HttpContext http, SignedInPerson person, string rule, CancellationToken ct)
    {
        Refused(logger, page, person.UserName, person.Role, rule);
        return Task.CompletedTask;
    }

    public Task SignedInAsync(HttpContext http, SignedInPerson person, ClaimsPrincipal session, CancellationToken ct)
    {
        SignedIn(logger, page, person.UserName);
        return Task.CompletedTask;
    }

    public Task SessionEndedAsync(HttpContext http, ClaimsPrincipal session, string reason, CancellationToken ct)
    {
        Ended(logger, page, session.Identity?.Name, reason);
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Warning, "{Page} sign-in refused: {UserName} (role {Role}) under {Rule}")]
    private static partial void Refused(ILogger logger, string page, string userName, string? role, string rule);

    [LoggerMessage(LogLevel.Information, "{Page} sign-in: {UserName}")]
    private static partial void SignedIn(ILogger logger, string page, string userName);

    [LoggerMessage(LogLevel.Information, "{Page} session of {UserName} ended: {Reason}")]
    private static partial void Ended(ILogger logger, string page, string? userName, string reason);
}
