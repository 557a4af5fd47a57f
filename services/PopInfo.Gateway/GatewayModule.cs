using PopInfo.ServiceDefaults.Routing;

namespace PopInfo.Gateway;

/// <summary>
/// YARP 2.3 with its routes and clusters from configuration (<c>ReverseProxy</c>; <c>deploy/local/up.sh</c> writes them to a
/// file named by <c>PopInfo:Gateway:ConfigFile</c>): one route per service, matched by the local port a connection arrived on
/// (the route's metadata <c>LocalPort</c>, <see cref="LocalPortRouting"/>), and one cluster per service whose destinations
/// are its instances. <see cref="ServiceClusterDefaults"/> adds the health checks and the original <c>Host</c> to every one.
/// </summary>
public static class GatewayModule
{
    public const string Section = "ReverseProxy";

    /// <summary>The route metadata naming the local port the route answers.</summary>
    public const string LocalPort = "LocalPort";

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        if (builder.Configuration["PopInfo:Gateway:ConfigFile"] is { Length: > 0 } file)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        builder.Services.AddLocalPortRouting();
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection(Section))
            .AddConfigFilter<ServiceClusterDefaults>();
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapReverseProxy(proxy =>
        {
            // Before load balancing: a destination that refused the connection is left out and another one tried.
            proxy.Use(ConnectRetry.InvokeAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        }).ConfigureEndpoints((endpoint, route) =>
        {
            if (route.Metadata?.TryGetValue(LocalPort, out var port) == true)
            {
                endpoint.RequireLocalPort(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
            }
        });
        return app;
    }
}
