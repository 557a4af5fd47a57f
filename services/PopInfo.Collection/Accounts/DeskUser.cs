using System.Security.Claims;
using PopInfo.Domain.Regions;

namespace PopInfo.Collection.Accounts;

/// <summary>The roles of the desk.</summary>
public static class DeskRoles
{
    /// <summary>Enters forms for one community.</summary>
    public const string Collector = "collector";

    /// <summary>Reads the forms and reports of the communities of one street (town).</summary>
    public const string Supervisor = "supervisor";

    /// <summary>Manages accounts; sees no forms.</summary>
    public const string Admin = "admin";

    public static readonly string[] All = [Collector, Supervisor, Admin];
}

/// <summary>The signed-in person as the desk's rules need them, read from the sign-in cookie's claims.</summary>
public sealed record DeskUser(string UserName, string Role, string? CommunityCode, string? StreetCode, string? RemoteAddress)
{
    public const string CommunityClaim = "popinfo:community";
    public const string StreetClaim = "popinfo:street";

    public static DeskUser From(HttpContext http) => new(
        http.User.Identity?.Name ?? "anonymous",
        http.User.FindFirstValue(ClaimTypes.Role) ?? "",
        http.User.FindFirstValue(CommunityClaim),
        http.User.FindFirstValue(StreetClaim),
        http.Connection.RemoteIpAddress?.ToString());

    /// <summary>Only a collector writes, and only in their own community.</summary>
    public bool MayWrite(string communityCode) => Role == DeskRoles.Collector && CommunityCode == communityCode;

    /// <summary>A collector reads their community; a supervisor every community of their street.</summary>
    public bool MayRead(string communityCode, RegionCatalogue regions) => Role switch
    {
        DeskRoles.Collector => CommunityCode == communityCode,
        DeskRoles.Supervisor => StreetCode is not null && regions.IsWithin(communityCode, StreetCode),
        _ => false,
    };
}
