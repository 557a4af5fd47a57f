using System.Net;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace PopInfo.ServiceDefaults.Security;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> a service believes
/// (<c>PopInfo:ForwardedHeaders</c>): their addresses and networks. Empty by default, and then the headers are ignored —
/// any client could send them. docs/security.md, "Behind a reverse proxy".
/// </summary>
public sealed class TrustedProxiesOptions
{
    public const string Section = "PopInfo:ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, e.g. <c>127.0.0.1</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool Any => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <summary>The settings that do not parse, named (the service refuses to start with them).</summary>
    public IEnumerable<string> Invalid() =>
        KnownProxies.Where(p => !IPAddress.TryParse(p, out _)).Select(p => $"{Section}:KnownProxies: '{p}' is not an IP address")
            .Concat(KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)).Select(n => $"{Section}:KnownNetworks: '{n}' is not a network in CIDR notation (10.0.0.0/8)"));
}

public static class TrustedProxies
{
    /// <summary>
    /// Binds <see cref="TrustedProxiesOptions"/> and, when it names any proxy, puts ASP.NET Core's forwarded-headers
    /// middleware first in the pipeline, before authentication (a startup filter, as ASP.NET Core's own
    /// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> does): a request from a trusted proxy carries its caller's address and
    /// scheme from there on (<c>Connection.RemoteIpAddress</c>, which rate limits, audits and sign-in records read);
    /// from anyone else the headers are left unread. Without the setting, nothing is added.
    /// </summary>
    public static IHostApplicationBuilder Add(IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrustedProxiesOptions>().BindConfiguration(TrustedProxiesOptions.Section)
            .Validate(o => !o.Invalid().Any(), $"{TrustedProxiesOptions.Section}: an entry is not an address or a CIDR network.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxiesOptions>>((options, trusted) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback unless told otherwise: only what the setting names is trusted here.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.Value.KnownProxies.Where(p => IPAddress.TryParse(p, out _)))
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in trusted.Value.KnownNetworks.Where(n => IPNetwork.TryParse(n, out _)))
            {
                options.KnownIPNetworks.Add(IPNetwork.Parse(network));
            }

            // One proxy in front: the address it appends (the rightmost) is the caller; what a client wrote to the left
            // of it is the client's own claim and is never taken.
            options.ForwardLimit = 1;
        });
        builder.Services.AddTransient<IStartupFilter, First>();
        return builder;
    }

    private sealed class First(IOptions<TrustedProxiesOptions> trusted) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            if (trusted.Value.Any)
            {
                app.UseForwardedHeaders();
            }

            next(app);
        };
    }
}
