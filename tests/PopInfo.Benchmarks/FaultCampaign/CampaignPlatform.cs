using System.Globalization;

namespace PopInfo.Benchmarks.FaultCampaign;

/// <summary>
/// One instance of a service as its own process, on a port it keeps across restarts (so that whoever calls it finds it
/// again, as behind a fixed address). <see cref="KillAsync"/> is SIGKILL; <see cref="StartAsync"/> starts it again.
/// </summary>
public sealed class ServiceInstance(string service, int index, string dll, Dictionary<string, string> environment, int port)
{
    public string Service => service;

    public string Name => $"{service}#{index + 1}";

    public int Port => port;

    public Uri Address => new($"http://127.0.0.1:{port}");

    public ServiceProcess? Process { get; private set; }

    public List<string> Logs { get; } = [];

    public void Launch()
    {
        Process = ServiceProcess.Start(Name, dll, environment);
        Logs.Add(Process.LogPath);
    }

    public async Task StartAsync()
    {
        Launch();
        await WaitReadyAsync(TimeSpan.FromSeconds(120));
    }

    public Task WaitReadyAsync(TimeSpan timeout) => Process!.WaitReadyAsync(new Uri(Address, "/health/ready"), timeout);

    public async Task KillAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
            Process = null;
        }
    }
}

/// <summary>
/// The platform in distributed mode on the campaign's own database and virtual host: <c>instances</c> processes of each
/// service that can run several (relays, projectors and projection builds are single-active with fenced leases, ADR 0010),
/// each on its own port. Two ways to reach them:
/// <list type="bullet">
/// <item>without a gateway, callers know every instance's address and go to another when one does not answer; a service
/// that calls another (the desk, the exchange, sharing and analytics call the registry; sharing calls the exchange) is
/// given the first instance's address;</item>
/// <item>with <see cref="CampaignTopology.Gateway"/>, one gateway process (services/PopInfo.Gateway, as
/// <c>deploy/local/up.sh POPINFO_INSTANCES=N</c> runs it) gives each service one address, used by the campaign's clients
/// and by the services calling each other; its health checks take a killed instance out of the rotation and put it back
/// when it answers again. The gateway itself is not a fault target (one process here, several behind a load balancer
/// in a city).</item>
/// </list>
/// With <see cref="CampaignTopology.BrokerNodes"/>, every instance uses the RabbitMQ cluster through all its nodes.
/// </summary>
public sealed class CampaignPlatform(string database, Uri vhost, string? servicesBin, IReadOnlyList<string> extraEnv, int instances, CampaignTopology topology) : IAsyncDisposable
{
    public static readonly string[] AllServices = ["registry", "exchange", "collection", "sharing", "analytics"];

    private readonly Dictionary<string, int> gatewayPorts = new(StringComparer.Ordinal);
    private ServiceProcess? gateway;

    public string AdminKey { get; } = "campaign-admin-" + Guid.NewGuid().ToString("N");

    public List<ServiceInstance> All { get; } = [];

    public IReadOnlyList<ServiceInstance> Of(string service) => All.Where(i => i.Service == service).ToList();

    /// <summary>Where a client reaches <paramref name="service"/>: its one address behind the gateway, else every instance's.</summary>
    public IReadOnlyList<Uri> Addresses(string service) => Addresses(service, direct: !topology.Gateway);

    private IReadOnlyList<Uri> Addresses(string service, bool direct) =>
        direct ? [.. Of(service).Select(i => i.Address)] : [GatewayAddress(service)];

    /// <summary>
    /// Starts the gateway (when there is one: it answers 503 for a service until an instance is ready), the registry's
    /// instances (the others read it at start), then the rest together.
    /// </summary>
    public async Task StartAsync(IReadOnlyList<string> services)
    {
        var chosen = AllServices.Where(services.Contains).ToList();
        if (topology.Gateway)
        {
            chosen.ForEach(s => GatewayAddress(s));
        }

        foreach (var service in chosen)
        {
            for (var i = 0; i < instances; i++)
            {
                All.Add(Create(service, i));
            }
        }

        if (topology.Gateway)
        {
            StartGateway(chosen);
        }

        foreach (var registry in Of("registry"))
        {
            await registry.StartAsync();
        }

        foreach (var instance in All.Where(i => i.Service != "registry"))
        {
            instance.Launch();
        }

        await Task.WhenAll(All.Where(i => i.Service != "registry").Select(i => i.WaitReadyAsync(TimeSpan.FromSeconds(180))));
        foreach (var instance in All)
        {
            Console.WriteLine($"   {instance.Name} pid {instance.Process!.Pid} on {instance.Port} (log {instance.Process.LogPath})");
        }

        if (gateway is not null)
        {
            foreach (var service in chosen)
            {
                await gateway.WaitReadyAsync(new Uri(GatewayAddress(service), "/health/ready"), TimeSpan.FromSeconds(60));
            }

            Console.WriteLine($"   gateway pid {gateway.Pid}: {string.Join(", ", chosen.Select(s => $"{s} {GatewayAddress(s)}"))} (log {gateway.LogPath})");
        }
    }

    /// <summary>Waits until every instance answers ready; how long that took.</summary>
    public async Task<TimeSpan> WaitAllReadyAsync(TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        await Task.WhenAll(All.Where(i => i.Process is not null).Select(i => i.WaitReadyAsync(timeout)));
        return DateTime.UtcNow - started;
    }

    private Uri GatewayAddress(string service)
    {
        if (!gatewayPorts.TryGetValue(service, out var port))
        {
            gatewayPorts[service] = port = ServiceProcess.FreePort();
        }

        return new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>The gateway's routes (one local port per service) and clusters (that service's instances), as up.sh gives them.</summary>
    private void StartGateway(IReadOnlyList<string> services)
    {
        var environment = GatewaySettings.For(services.Select(s => (s, gatewayPorts[s], Addresses(s, direct: true))));
        gateway = ServiceProcess.Start("gateway", ServiceLocator.Find("PopInfo.Gateway", servicesBin), environment);
    }

    private ServiceInstance Create(string service, int index)
    {
        var port = ServiceProcess.FreePort();
        var environment = ChangeLatency.DistributedEnvironment(port, database, vhost, extraEnv);
        var firstRegistry = topology.Gateway ? GatewayAddress("registry") : All.FirstOrDefault(i => i.Service == "registry")?.Address ?? new Uri("http://127.0.0.1:5101");
        var firstExchange = topology.Gateway ? GatewayAddress("exchange") : All.FirstOrDefault(i => i.Service == "exchange")?.Address ?? new Uri("http://127.0.0.1:5103");
        if (topology.Gateway)
        {
            // Behind the gateway, the caller's address is the one it forwards (X-Forwarded-For from loopback only).
            environment["PopInfo__ForwardedHeaders__KnownProxies__0"] = "127.0.0.1";
        }

        if (topology.BrokerNodes is { } nodes)
        {
            environment["PopInfo__Bus__RabbitMqNodes"] = nodes;
        }
        // The campaign drives far more than a city's rate limits allow one caller.
        foreach (var limit in new[] { "RegistryLookUp", "CollectionLookUp", "ExchangeDepartment", "SignInAccount", "SignInAddress" })
        {
            environment[$"PopInfo__RateLimits__{limit}__PermitLimit"] = "1000000";
        }

        switch (service)
        {
            case "exchange":
                environment["PopInfo__Exchange__AdminKey"] = AdminKey;
                // Department users and queues made through the broker the campaign runs on (its default is the host's 15672).
                environment["PopInfo__Exchange__RabbitMqManagementUrl"] = topology.Management.ToString();
                environment["PopInfo__Exchange__RegistryUrl"] = firstRegistry + "";
                // Retries long enough to outlast the campaign's webhook outage (--offline-seconds); what still fails is redriven.
                environment["PopInfo__Exchange__Webhooks__MaxAttempts"] = "20";
                environment["PopInfo__Exchange__Webhooks__FirstDelay"] = "00:00:00.200";
                environment["PopInfo__Exchange__Webhooks__MaxDelay"] = "00:00:02";
                break;
            case "collection":
                environment["PopInfo__Collection__RegistryUrl"] = firstRegistry + "";
                break;
            case "sharing":
                environment["PopInfo__Sharing__RegistryUrl"] = firstRegistry + "";
                environment["PopInfo__Sharing__ExchangeUrl"] = firstExchange + "";
                break;
            case "analytics":
                environment["PopInfo__Analytics__RegistryUrl"] = firstRegistry + "";
                break;
        }

        var project = "PopInfo." + char.ToUpper(service[0], CultureInfo.InvariantCulture) + service[1..];
        return new ServiceInstance(service, index, ServiceLocator.Find(project, servicesBin), environment, port);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in All)
        {
            await instance.KillAsync();
        }

        if (gateway is not null)
        {
            await gateway.DisposeAsync();
        }
    }
}

/// <summary>
/// Where the campaign's platform runs: the broker's management API (department users and queues are made there),
/// the cluster's nodes ("host:port,…", PopInfo:Bus:RabbitMqNodes) or none for the one node of the virtual host's URI, and
/// whether the services sit behind one gateway.
/// </summary>
public sealed record CampaignTopology(Uri Management, string? BrokerNodes, bool Gateway);
