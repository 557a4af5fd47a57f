using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace PopInfo.ServiceDefaults.Security.RateLimits;

/// <summary>
/// One limit: its name (in the 429 problem and the counter table), its setting under <c>PopInfo:RateLimits:{Setting}</c>
/// with defaults, and how a request is told apart from another (<paramref name="Key"/>; none when the key is in the body,
/// as the account name of a sign-in is).
/// </summary>
public sealed record RateLimitPolicy(string Name, string Setting, int PermitLimit, TimeSpan Window, Func<HttpContext, string>? Key = null)
{
    /// <summary>Sign-in attempts per account name, whatever the address (the lockout after wrong passwords stays beside it).</summary>
    public static readonly RateLimitPolicy SignInAccount = new("sign-in.account", "SignInAccount", 10, TimeSpan.FromMinutes(15));

    /// <summary>Sign-in attempts per remote address, whatever the account: against spraying many accounts from one place.</summary>
    public static readonly RateLimitPolicy SignInAddress = new("sign-in.address", "SignInAddress", 30, TimeSpan.FromMinutes(15),
        http => AddressKey(http.Connection.RemoteIpAddress));

    /// <summary>
    /// Look-ups of persons per caller at a service (<c>registry.look-up</c>, setting <c>RegistryLookUp</c>; the sharing service's
    /// will be <c>LookUp("sharing", …)</c>): keyed by the token's client and subject, so a person acting through a client and the
    /// client itself, or two departments, have counters of their own.
    /// </summary>
    public static RateLimitPolicy LookUp(string serviceName, int permitLimit, TimeSpan window) =>
        new($"{serviceName}.look-up", $"{char.ToUpperInvariant(serviceName[0])}{serviceName[1..]}LookUp", permitLimit, window, CallerKey);

    /// <summary>The caller of an authenticated request: token client and subject, or the name of another scheme's user.</summary>
    public static string CallerKey(HttpContext http)
    {
        var caller = TokenCaller.From(http.User);
        return $"{caller.ClientId}|{(caller.Subject.Length > 0 ? caller.Subject : http.User.Identity?.Name)}";
    }

    /// <summary>
    /// An IPv4 address as it is; an IPv6 address by its /64 network, which one subscriber usually holds whole (counting
    /// single IPv6 addresses would let one machine step around the limit).
    /// </summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
