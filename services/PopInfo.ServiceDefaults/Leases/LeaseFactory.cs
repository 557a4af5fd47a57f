using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PopInfo.ServiceDefaults.Data;

namespace PopInfo.ServiceDefaults.Leases;

/// <summary>Makes the leases of a service's single-active loops in its own database, with the platform's lease time (<c>PopInfo:Leases:Ttl</c>).</summary>
public sealed class LeaseFactory(IOptions<PlatformOptions> options, TimeProvider clock, ILoggerFactory loggers)
{
    /// <summary>The lease named <paramref name="name"/> in <paramref name="database"/>'s <c>leases</c> table.</summary>
    public Lease For(ServiceDatabase database, string name) =>
        new(new LeaseStore(database), name, options.Value.Leases.Ttl, clock, loggers.CreateLogger<Lease>());
}
