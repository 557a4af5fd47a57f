using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.ServiceDefaults.Leases;

/// <summary>
/// Makes the leases of a service's single-active loops in its own database, with the platform's lease time
/// (<c>PopInfo:Leases:Ttl</c>). One lease object per database and name in a process: loops that ask for the same name
/// share it, and so always lead on the same instance (the exchange's projector and its senders, which wake each other
/// in-process).
/// </summary>
public sealed class LeaseFactory(IOptions<PlatformOptions> options, TimeProvider clock, ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<(ServiceDatabase Database, string Name), Lease> leases = new();

    /// <summary>The lease named <paramref name="name"/> in <paramref name="database"/>'s <c>leases</c> table.</summary>
    public Lease For(ServiceDatabase database, string name) =>
        leases.GetOrAdd((database, name), key => new Lease(new LeaseStore(key.Database), key.Name, options.Value.Leases.Ttl, clock, loggers.CreateLogger<Lease>()));
}
