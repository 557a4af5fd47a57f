using Microsoft.Extensions.Logging.Abstractions;
using PopInfo.ServiceDefaults.Data;
using PopInfo.ServiceDefaults.Leases;

namespace PopInfo.IntegrationTests.Leases;

/// <summary>Leases for tests that call a relay's fenced store directly.</summary>
public static class TestLeases
{
    /// <summary>Takes the lease <paramref name="name"/> in <paramref name="database"/> for a minute and returns its fence.</summary>
    public static async Task<LeaseFence> HeldFenceAsync(ServiceDatabase database, string name = "test")
    {
        var lease = new Lease(new LeaseStore(database), name, TimeSpan.FromMinutes(1), TimeProvider.System, NullLogger.Instance);
        Assert.True(await lease.HoldAsync(CancellationToken.None));
        return lease.Fence();
    }
}
