using PopInfo.Domain.Access;
using System.Security.Claims;
using PopInfo.Domain.Regions;

namespace PopInfo.Collection.Accounts;

/// <summary>The signed-in person as the desk's rules need them, read from the sign-in cookie's claims.</summary>
public sealed record DeskUser(string UserName, string Role, string? CommunityCode, string? StreetCode, string? RemoteAddress)
{
    public const string CommunityClaim = "popinfo:community";
    public const string StreetClaim = "popinfo:street";

    public static DeskUser From(HttpContext http) => From(http, http.User);

    public static DeskUser From(HttpContext http, ClaimsPrincipal user) => new(
        user.Identity?.Name ?? "anonymous",
        user.FindFirstValue(ClaimTypes.Role) ?? "",
        user.FindFirstValue(CommunityClaim),
        user.FindFirstValue(StreetClaim),
        http.Connection.RemoteIpAddress?.ToString());

    /// <summary>Only a collector writes, and only in their own community.</summary>
    public bool MayWrite(string communityCode) => Role == PlatformRoles.Collector && CommunityCode == communityCode;

    /// <summary>A collector reads their community; a supervisor every community of their street.</summary>
    public bool MayRead(string communityCode, RegionCatalogue regions) => Role switch
    {
        PlatformRoles.Collector => CommunityCode == communityCode,
        PlatformRoles.Supervisor => StreetCode is not null && regions.IsWithin(communityCode, StreetCode),
        _ => false,
    };

    /// <summary>Only the supervisor of a street reads the street as a whole: its day reports and its board.</summary>
    public bool MayReadStreet(string streetCode) => Role == PlatformRoles.Supervisor && StreetCode == streetCode;
}
