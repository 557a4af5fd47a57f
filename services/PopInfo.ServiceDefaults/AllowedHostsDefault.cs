using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace PopInfo.ServiceDefaults;

/// <summary>
/// ASP.NET Core's host filtering (the <c>AllowedHosts</c> setting) with a default: the loopback names only.
/// Without it every Host header is taken, and a Host header is what a service uses when it writes its own
/// address into an answer (the start page's links, redirects, an issuer's address). A service reached
/// under another name (a machine name, a proxy's) is told so by setting <c>AllowedHosts</c>.
/// </summary>
public static class AllowedHostsDefault
{
    public const string Key = "AllowedHosts";

    public static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Sets <c>AllowedHosts</c> to the loopback names and <paramref name="alsoAllowed"/>, unless it is set already.</summary>
    public static void Apply(IConfiguration configuration, params string?[] alsoAllowed)
    {
        if (!string.IsNullOrWhiteSpace(configuration[Key]))
        {
            return;
        }

        var names = Loopback.Concat(alsoAllowed.Select(HostName).OfType<string>()).Distinct(StringComparer.OrdinalIgnoreCase);
        configuration[Key] = string.Join(';', names);
    }

    /// <summary>An address as host filtering compares it (IPv6 in brackets); null for a wildcard, which names no host.</summary>
    public static string? HostName(string? address) => address?.Trim() switch
    {
        null or "" or "*" or "+" or "0.0.0.0" or "::" or "[::]" => null,
        var a when IPAddress.TryParse(a.Trim('[', ']'), out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 => $"[{ip}]",
        var a => a,
    };
}
