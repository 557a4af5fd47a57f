using System.Security.Claims;
using PopInfo.ServiceDefaults.Security;

namespace PopInfo.Sharing;

/// <summary>Who calls: the token's client (a department's grant is kept under it) and, for a person, who; and from where.</summary>
public sealed record SharingCaller(string ClientId, string Actor, string? RemoteAddress)
{
    public static SharingCaller From(ClaimsPrincipal user, string? remoteAddress)
    {
        var token = TokenCaller.From(user);
        // A person through a client (an administrator at a page): "client/person"; a client for itself: its id.
        var actor = token.Subject == token.Source || token.Subject.Length == 0 ? token.Source : $"{token.Source}/{token.Subject}";
        return new SharingCaller(token.Source, actor, remoteAddress);
    }

    public static SharingCaller From(HttpContext http) => From(http.User, http.Connection.RemoteIpAddress?.ToString());
}
