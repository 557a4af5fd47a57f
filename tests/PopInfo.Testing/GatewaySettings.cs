using System.Globalization;

namespace PopInfo.Testing;

/// <summary>
/// The gateway's configuration as environment variables (services/PopInfo.Gateway, as <c>deploy/local/up.sh</c> gives
/// it): one listening port per service, a route matching every path on that port, and the service's instances as the
/// route's cluster. Used by <see cref="InstancesBehindGateway"/> and the fault campaign's platform.
/// </summary>
public static class GatewaySettings
{
    /// <param name="services">Each service's gateway port and its instances' addresses.</param>
    public static Dictionary<string, string> For(IEnumerable<(string Service, int Port, IReadOnlyList<Uri> Instances)> services)
    {
        var all = services.ToList();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = string.Join(';', all.Select(s => $"http://127.0.0.1:{s.Port}")),
            ["Logging__LogLevel__Yarp.ReverseProxy.Health"] = "Warning",
            ["Logging__LogLevel__Yarp.ReverseProxy.Forwarder"] = "Warning",
        };
        foreach (var (service, port, instances) in all)
        {
            environment[$"ReverseProxy__Routes__{service}__ClusterId"] = service;
            environment[$"ReverseProxy__Routes__{service}__Match__Path"] = "{**catch-all}";
            environment[$"ReverseProxy__Routes__{service}__Metadata__LocalPort"] = port.ToString(CultureInfo.InvariantCulture);
            for (var i = 0; i < instances.Count; i++)
            {
                environment[$"ReverseProxy__Clusters__{service}__Destinations__{service}{i + 1}__Address"] = instances[i].ToString();
            }
        }

        return environment;
    }
}
