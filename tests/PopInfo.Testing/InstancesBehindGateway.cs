namespace PopInfo.Testing;

/// <summary>
/// Several processes of each service behind one gateway process (services/PopInfo.Gateway), as <c>deploy/local/up.sh</c>
/// runs them with <c>POPINFO_INSTANCES</c>: each service has one address (<see cref="Url"/>, the gateway's port for it),
/// its instances listen on free ports of their own and trust the gateway's <c>X-Forwarded-For</c>. The gateway's routes
/// and clusters are given as environment variables, as configuration.
/// </summary>
public sealed class InstancesBehindGateway(string databaseConnectionString, Uri broker) : IAsyncDisposable
{
    private readonly Dictionary<string, int> ports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ServiceProcess>> instances = new(StringComparer.Ordinal);
    private ServiceProcess? gateway;

    /// <summary>The one address of <paramref name="service"/> (registry, identity…): the gateway's port for it.</summary>
    public Uri Url(string service)
    {
        if (!ports.TryGetValue(service, out var port))
        {
            ports[service] = port = ServiceProcess.FreePort();
        }

        return new Uri($"http://127.0.0.1:{port}/");
    }

    public IReadOnlyList<ServiceProcess> Instances(string service) => instances[service];

    /// <summary>Adds <paramref name="count"/> instances of <paramref name="service"/> with <paramref name="settings"/>; started by <see cref="StartAsync"/>.</summary>
    public InstancesBehindGateway Add(string service, int count, IReadOnlyDictionary<string, string> settings)
    {
        var all = new Dictionary<string, string>(settings) { ["PopInfo__ForwardedHeaders__KnownProxies__0"] = "127.0.0.1" };
        instances[service] = [.. Enumerable.Range(0, count).Select(_ =>
            ServiceProcess.Instance("PopInfo." + char.ToUpperInvariant(service[0]) + service[1..], databaseConnectionString, broker, all))];
        Url(service);
        return this;
    }

    /// <summary>Starts the gateway and every instance, and waits until each service answers ready through the gateway.</summary>
    public async Task StartAsync()
    {
        var environment = GatewaySettings.For(instances.Select(p => (p.Key, ports[p.Key], (IReadOnlyList<Uri>)[.. p.Value.Select(i => i.BaseAddress)])));
        gateway = ServiceProcess.Gateway(ports[instances.Keys.First()], environment);
        gateway.Launched();
        // In waves, the first instance of every service, then the second…: ten processes starting at once on two cores
        // took minutes; the first instance also makes the schema, keys and clients the others then find.
        for (var wave = 0; wave < instances.Values.Max(p => p.Count); wave++)
        {
            await Task.WhenAll(instances.Values.Where(p => p.Count > wave).Select(p => p[wave].StartWithinAsync(TimeSpan.FromSeconds(120))));
        }

        foreach (var service in instances.Keys)
        {
            await gateway.WaitReadyAsync(new Uri(Url(service), "/health/ready"), TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in instances.Values.SelectMany(p => p))
        {
            await process.DisposeAsync();
        }

        if (gateway is not null)
        {
            await gateway.DisposeAsync();
        }
    }
}
