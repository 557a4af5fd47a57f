using PopInfo.Domain.Regions;

namespace PopInfo.Registry.Data;

/// <summary>Keeps the regions table equal to the catalogue (Wuxi's divisions plus the generated communities).</summary>
internal sealed class RegionSeeder(RegionStore store, RegionCatalogue regions) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await store.CountAsync(cancellationToken) != regions.All.Count)
        {
            await store.ReplaceAsync(regions.All, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
