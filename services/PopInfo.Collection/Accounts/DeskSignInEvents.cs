using System.Security.Claims;
using PopInfo.Collection.Audit;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Security.PeopleSignIn;

namespace PopInfo.Collection.Accounts;

/// <summary>The desk's audit trail of its sessions: every sign-in, refused sign-in and session the provider ended.</summary>
public sealed class DeskSignInEvents(AuditLog audit, RegionCatalogue regions) : IPeopleSignInEvents
{
    public Task RefusedAsync(HttpContext http, SignedInPerson person, string rule, CancellationToken ct) =>
        audit.WriteAsync(new DeskUser(person.UserName, person.Role ?? "", null, null, person.RemoteAddress), "sign-in", person.UserName, null, "refused",
            $"{rule} (role {person.Role}, region {person.Region})", ct: ct);

    public Task SignedInAsync(HttpContext http, SignedInPerson person, ClaimsPrincipal session, CancellationToken ct)
    {
        var (community, street) = DeskAuthentication.CommunityAndStreet(person.Role, person.Region, regions);
        return audit.WriteAsync(new DeskUser(person.UserName, person.Role ?? "", community, street, person.RemoteAddress), "sign-in", person.UserName,
            community, "ok", "at the identity provider", ct: ct);
    }

    public Task SessionEndedAsync(HttpContext http, ClaimsPrincipal session, string reason, CancellationToken ct) =>
        audit.WriteAsync(DeskUser.From(http, session), "session.end", session.Identity?.Name, null, "ok", reason, ct: ct);
}
