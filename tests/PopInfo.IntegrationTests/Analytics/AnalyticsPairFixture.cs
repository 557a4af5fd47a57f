using Microsoft.Extensions.DependencyInjection;
using PopInfo.Analytics.Engine;
using PopInfo.Analytics.Projection;
using PopInfo.IntegrationTests.Exchange;
using PopInfo.Testing;

namespace PopInfo.IntegrationTests.Analytics;

/// <summary>
/// The registry and two analytics instances on one store (a PostgreSQL schema) and one broker virtual host: their
/// consumers compete on <see cref="PersonChangedConsumer.QueueName"/>, the follower's lease lasts 2 s. Either instance can
/// be stopped and started again.
/// </summary>
public sealed class AnalyticsPairFixture : RegistryBackedFixture
{
    private readonly AnalyticsHost?[] hosts = new AnalyticsHost?[2];

    public AnalyticsHost this[int i] => hosts[i] ?? throw new InvalidOperationException($"analytics instance {i} is not running");

    public AnalyticsHost Start(int i)
    {
        hosts[i] = new AnalyticsHost(ServiceSettings("analytics", new Dictionary<string, string?> { ["PopInfo:Leases:Ttl"] = "00:00:02" }), RegistryHandler);
        _ = hosts[i]!.Server;
        return hosts[i]!;
    }

    public async Task StopAsync(int i)
    {
        if (hosts[i] is { } host)
        {
            hosts[i] = null;
            await host.DisposeAsync();
        }
    }

    /// <summary>Waits until instance <paramref name="i"/> is ready and its index holds everything the registry has written, exactly at its sequence.</summary>
    public async Task CaughtUpAsync(int i)
    {
        var last = await RegistryLastAsync();
        await Eventually.TrueAsync(() =>
        {
            var position = this[i].Services.GetRequiredService<PopulationIndex>().Position;
            return Task.FromResult(this[i].Services.GetRequiredService<ProjectionReadiness>().IsReady && position is { PendingAbove: 0 } && position.Watermark == last);
        }, TimeSpan.FromSeconds(60), $"analytics instance {i} to reach sequence {last}",
            () => Task.FromResult($"{this[i].Services.GetRequiredService<PopulationIndex>().Position}"));
    }

    protected override async Task StopServiceAsync()
    {
        await StopAsync(0);
        await StopAsync(1);
    }
}
