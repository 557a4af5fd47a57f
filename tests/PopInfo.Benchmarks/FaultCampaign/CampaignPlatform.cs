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
/// each on its own port. There is no reverse proxy yet (issue 15): callers know every instance's address and go to another
/// when one does not answer; a service that calls another (the desk, the exchange, sharing and analytics call the registry;
/// sharing calls the exchange) is given the first instance's address — the one place a proxy's address will go.
/// </summary>
public sealed class CampaignPlatform(string database, Uri vhost, string? servicesBin, IReadOnlyList<string> extraEnv, int instances) : IAsyncDisposable
{
    public static readonly string[] AllServices = ["registry", "exchange", "collection", "sharing", "analytics"];

    public string AdminKey { get; } = "campaign-admin-" + Guid.NewGuid().ToString("N");

    public List<ServiceInstance> All { get; } = [];

    public IReadOnlyList<ServiceInstance> Of(string service) => All.Where(i => i.Service == service).ToList();

    /// <summary>Starts the registry's instances first (the others read it at start), then the rest together.</summary>
    public async Task StartAsync(IReadOnlyList<string> services)
    {
        foreach (var service in AllServices.Where(services.Contains))
        {
            for (var i = 0; i < instances; i++)
            {
                All.Add(Create(service, i));
            }
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
    }

    /// <summary>Waits until every instance answers ready; how long that took.</summary>
    public async Task<TimeSpan> WaitAllReadyAsync(TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        await Task.WhenAll(All.Where(i => i.Process is not null).Select(i => i.WaitReadyAsync(timeout)));
        return DateTime.UtcNow - started;
    }

    private ServiceInstance Create(string service, int index)
    {
        var port = ServiceProcess.FreePort();
        var environment = ChangeLatency.DistributedEnvironment(port, database, vhost, extraEnv);
        var firstRegistry = All.FirstOrDefault(i => i.Service == "registry")?.Address ?? new Uri("http://127.0.0.1:5101");
        var firstExchange = All.FirstOrDefault(i => i.Service == "exchange")?.Address ?? new Uri("http://127.0.0.1:5103");
        // The campaign drives far more than a city's rate limits allow one caller.
        foreach (var limit in new[] { "RegistryLookUp", "CollectionLookUp", "ExchangeDepartment", "SignInAccount", "SignInAddress" })
        {
            environment[$"PopInfo__RateLimits__{limit}__PermitLimit"] = "1000000";
        }

        switch (service)
        {
            case "exchange":
                environment["PopInfo__Exchange__AdminKey"] = AdminKey;
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
    }
}
