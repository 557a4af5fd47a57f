using Microsoft.Extensions.DependencyInjection;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Sharing.People;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Sharing;

/// <summary>
/// The registry and two sharing instances on one store and one broker virtual host: their consumers compete for the
/// registry's changes, the follower's lease lasts 2 s. Either instance can be stopped and started again.
/// </summary>
public sealed class SharingPairFixture : RegistryBackedFixture
{
    private readonly SharingHost?[] hosts = new SharingHost?[2];

    public SharingHost this[int i] => hosts[i] ?? throw new InvalidOperationException($"sharing instance {i} is not running");

    public void Start(int i)
    {
        hosts[i] = new SharingHost(ServiceSettings("sharing", new Dictionary<string, string?> { ["PopInfo:Leases:Ttl"] = "00:00:02" }), RegistryHandler);
        _ = hosts[i]!.Server;
    }

    public async Task StopAsync(int i)
    {
        if (hosts[i] is { } host)
        {
            hosts[i] = null;
            await host.DisposeAsync();
        }
    }

    public T Service<T>(int i) where T : notnull => this[i].Services.GetRequiredService<T>();

    /// <summary>Waits until instance <paramref name="i"/> is ready and the store holds everything the registry has written.</summary>
    public async Task CaughtUpAsync(int i)
    {
        var last = await RegistryLastAsync();
        await Eventually.TrueAsync(async () =>
        {
            var state = await Service<PeopleStore>(i).StateAsync(CancellationToken.None);
            return Service<PeopleReadiness>(i).IsReady && state.Low_Watermark >= last && await Service<PeopleStore>(i).PendingAsync(CancellationToken.None) == 0;
        }, TimeSpan.FromSeconds(60), $"sharing instance {i} to reach sequence {last}");
    }

    protected override async Task StopServiceAsync()
    {
        await StopAsync(0);
        await StopAsync(1);
    }
}
