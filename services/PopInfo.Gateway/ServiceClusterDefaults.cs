using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Transforms;

namespace PopInfo.Gateway;

/// <summary>
/// What every service's cluster and route get unless its configuration says otherwise:
/// <list type="bullet">
/// <item>an active health check of each instance's <c>/health/ready</c> every second (two failures in a row take it out:
/// a killed instance within about two seconds; one success brings it back), and a passive one (an instance whose
/// requests fail at the transport is taken out for ten seconds);</item>
/// <item>"healthy or panic": when no instance is ready (the broker is away, say), requests still go to all of them —
/// a service answers what it can without its broker, and a 503 from the proxy would hide that;</item>
/// <item>the client's <c>Host</c> header kept: the services build their own addresses (the sign-in callbacks the identity
/// provider checks, links) from it, and those must be the proxy's, the one address clients know.</item>
/// </list>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are YARP's defaults (set, not appended: a client's own value is
/// replaced); a service believes them only from the proxies it is told to trust (<c>PopInfo:ForwardedHeaders</c>).
/// </summary>
public sealed class ServiceClusterDefaults : IProxyConfigFilter
{
    public static readonly TimeSpan ActiveInterval = TimeSpan.FromSeconds(1);

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) =>
        ValueTask.FromResult(cluster.HealthCheck is not null ? cluster : cluster with
        {
            HealthCheck = new HealthCheckConfig
            {
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = ActiveInterval,
                    Timeout = TimeSpan.FromSeconds(2),
                    Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                    Path = "/health/ready",
                },
                Passive = new PassiveHealthCheckConfig
                {
                    Enabled = true,
                    Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate,
                    ReactivationPeriod = TimeSpan.FromSeconds(10),
                },
                AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyOrPanic,
            },
        });

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) =>
        ValueTask.FromResult(route.Transforms is not null ? route : route.WithTransformUseOriginalHostHeader(true));
}
