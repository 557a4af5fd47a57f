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
public sealed class AnalyticsFixture : RegistryBackedFixture
{
    public AnalyticsHost? Analytics { get; private set; }

    /// <summary>Communities of two streets of one district, and one of another district.</summary>
    public IReadOnlyList<string> Communities { get; } =
    [
        .. RegionCatalogue.Wuxi.Communities.Where(c => c.ParentCode == RegionCatalogue.Wuxi.Streets[2].Code).Take(2).Select(c => c.Code),
        .. RegionCatalogue.Wuxi.Communities.Where(c => c.ParentCode == RegionCatalogue.Wuxi.Streets[3].Code).Take(1).Select(c => c.Code),
        RegionCatalogue.Wuxi.Communities[^1].Code,
    ];

    public AnalyticsHost StartAnalytics(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = ServiceSettings("analytics", settings);
        Analytics = new AnalyticsHost(all, RegistryHandler);
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

    protected override Task StopServiceAsync() => StopAnalyticsAsync();
}
