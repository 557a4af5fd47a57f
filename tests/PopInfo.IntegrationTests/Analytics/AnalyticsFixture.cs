using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PopInfo.Analytics.Engine;
using PopInfo.Analytics.Projection;
using PopInfo.Domain.Regions;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Analytics;

/// <summary>
/// The registry and the analytics service on one PostgreSQL database (a schema each) and a RabbitMQ virtual host of their
/// own, each as its own broker user: the distributed mode in one test process. The analytics host can be stopped and
/// started again on the same store.
/// </summary>
public sealed class AnalyticsFixture : IAsyncLifetime
{
    public string Database { get; private set; } = "";
    public Uri VirtualHost { get; private set; } = null!;
    public ServiceBrokerUsers Broker { get; private set; } = null!;
    public RegistryHost Registry { get; private set; } = null!;
    public HttpClient RegistryClient { get; private set; } = null!;
    public AnalyticsHost? Analytics { get; private set; }

    /// <summary>Communities of two streets of one district, and one of another district.</summary>
    public IReadOnlyList<string> Communities { get; } =
    [
        .. RegionCatalogue.Wuxi.Communities.Where(c => c.ParentCode == RegionCatalogue.Wuxi.Streets[2].Code).Take(2).Select(c => c.Code),
        .. RegionCatalogue.Wuxi.Communities.Where(c => c.ParentCode == RegionCatalogue.Wuxi.Streets[3].Code).Take(1).Select(c => c.Code),
        RegionCatalogue.Wuxi.Communities[^1].Code,
    ];

    public async Task InitializeAsync()
    {
        Database = await TestInfrastructure.CreateDatabaseAsync();
        VirtualHost = await TestInfrastructure.CreateVirtualHostAsync();
        Broker = await ServiceBrokerUsers.CreateAsync(VirtualHost);
        Registry = new RegistryHost(RegistryHost.DistributedSettings(Database, Broker.UriOf("registry")));
        RegistryClient = Registry.CreateClient();
    }

    public AnalyticsHost StartAnalytics(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = RegistryHost.DistributedSettings(Database, Broker.UriOf("analytics"));
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        Analytics = new AnalyticsHost(all, () => new RegistryHandler(this));
        _ = Analytics.Server;
        return Analytics;
    }

    public async Task StopAnalyticsAsync()
    {
        if (Analytics is not null)
        {
            await Analytics.DisposeAsync();
            Analytics = null;
        }
    }

    public T Service<T>() where T : notnull => Analytics!.Services.GetRequiredService<T>();

    /// <summary>The registry's last change-log sequence.</summary>
    public async Task<long> RegistryLastAsync() => (long)(await RegistryClient.GetJsonAsync("/api/v1/changes/status")).Body["lastSequence"]!;

    /// <summary>Waits until the projection is ready and holds everything the registry has written.</summary>
    public async Task CaughtUpAsync(TimeSpan? within = null)
    {
        var last = await RegistryLastAsync();
        await Eventually.TrueAsync(async () =>
        {
            var position = Service<PopulationIndex>().Position;
            return Service<ProjectionReadiness>().IsReady && position is { PendingAbove: 0 } && position.Watermark == last;
        }, within ?? TimeSpan.FromSeconds(60), $"the projection to reach sequence {last}", async () => (await StatusAsync()).ToJsonString());
    }

    public async Task<JsonObject> StatusAsync()
    {
        using var client = Analytics!.CreatePlannerClient();
        return (await client.GetJsonAsync("/api/v1/projection/status")).Body;
    }

    public async Task<ReconciliationResult> ReconcileAsync() => await Service<Reconciler>().RunAsync(CancellationToken.None);

    /// <summary>Registers a resident of the community; returns the person's id.</summary>
    public async Task<Guid> RegisterAsync(string community, string sex = "2")
    {
        var (status, body) = await RegistryClient.PostAsync("/api/v1/persons", People.ResidentOf(community, sex));
        return status == 201 ? Guid.Parse((string)body["personId"]!) : throw new InvalidOperationException($"register: {status} {body}");
    }

    public async Task<long> CommandAsync(Guid person, string command, object body)
    {
        var version = (int)(await RegistryClient.GetJsonAsync($"/api/v1/persons/{person}")).Body["version"]!;
        var merged = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(body))!.AsObject();
        merged["commandId"] = Guid.NewGuid();
        merged["expectedVersion"] = version;
        var (status, answer) = await RegistryClient.PostAsync($"/api/v1/persons/{person}/{command}", merged);
        return status == 200 ? (long)answer["sequence"]! : throw new InvalidOperationException($"{command}: {status} {answer}");
    }

    public async Task DisposeAsync()
    {
        await StopAnalyticsAsync();
        RegistryClient.Dispose();
        await Registry.DisposeAsync();
        await Broker.DisposeAsync();
        await TestInfrastructure.DeleteVirtualHostAsync(VirtualHost);
        await TestInfrastructure.DropDatabaseAsync(Database);
    }

    /// <summary>The analytics service's reads of the registry go to the registry host in this process.</summary>
    private sealed class RegistryHandler(AnalyticsFixture fixture) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            new HttpMessageInvoker(fixture.Registry.Server.CreateHandler(), disposeHandler: false).SendAsync(request, cancellationToken);
    }
}
