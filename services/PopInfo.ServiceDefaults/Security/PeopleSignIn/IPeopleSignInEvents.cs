using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace PopInfo.ServiceDefaults.Security.PeopleSignIn;

/// <summary>What an application records of its sessions (its own audit trail): signed in, refused, ended by the provider.</summary>
public interface IPeopleSignInEvents
{
    /// <summary>The provider signed the person in but the application refused them under <paramref name="rule"/>.</summary>
    Task RefusedAsync(HttpContext http, SignedInPerson person, string rule, CancellationToken ct);

    /// <summary>The session <paramref name="session"/> was made for the person.</summary>
    Task SignedInAsync(HttpContext http, SignedInPerson person, ClaimsPrincipal session, CancellationToken ct);

    /// <summary>The provider refused the session's refresh token: the session ends.</summary>
    Task SessionEndedAsync(HttpContext http, ClaimsPrincipal session, string reason, CancellationToken ct);
}

/// <summary>Records nothing: for an application without an audit trail of its own.</summary>
public sealed class NoSignInEvents : IPeopleSignInEvents
{
    public Task RefusedAsync(HttpContext http, SignedInPerson person, string rule, CancellationToken ct) => Task.CompletedTask;

    public Task SignedInAsync(HttpContext http, SignedInPerson person, ClaimsPrincipal session, CancellationToken ct) => Task.CompletedTask;

    public Task SessionEndedAsync(HttpContext http, ClaimsPrincipal session, string reason, CancellationToken ct) => Task.CompletedTask;
}
