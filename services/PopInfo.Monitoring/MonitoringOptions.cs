using System.ComponentModel.DataAnnotations;

namespace PopInfo.Monitoring;

/// <summary>Settings of the monitoring service (section <c>PopInfo:Monitoring</c>).</summary>
public sealed class MonitoringOptions
{
    public const string Section = "PopInfo:Monitoring";

    /// <summary>
    /// The services watched, by name, at their base addresses (their health, readiness and version; ADR 0004). None named:
    /// <see cref="LocalServices"/>, the platform's ports on this machine.
    /// </summary>
    public Dictionary<string, Uri> Services { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The services named, or the platform's own on this machine when none is.</summary>
    public IReadOnlyDictionary<string, Uri> Watched => Services.Count > 0 ? Services : LocalServices;

    /// <summary>
    /// The settings as registration reads them, before the container exists (which HTTP clients to make, at what address);
    /// the service itself reads them as <c>IOptions&lt;MonitoringOptions&gt;</c>, validated at start.
    /// </summary>
    public static MonitoringOptions From(IConfiguration configuration) => configuration.GetSection(Section).Get<MonitoringOptions>() ?? new MonitoringOptions();

    /// <summary>Where <paramref name="service"/> answers: as named, else the platform's own on this machine.</summary>
    public Uri AddressOf(string service) => Watched.TryGetValue(service, out var address) ? address : LocalServices[service];

    public static readonly IReadOnlyDictionary<string, Uri> LocalServices = new Dictionary<string, Uri>(StringComparer.Ordinal)
    {
        ["registry"] = new("http://localhost:5101/"),
        ["collection"] = new("http://localhost:5102/"),
        ["exchange"] = new("http://localhost:5103/"),
        ["sharing"] = new("http://localhost:5104/"),
        ["analytics"] = new("http://localhost:5105/"),
        ["identity"] = new("http://localhost:5107/"),
    };

    /// <summary>How long one probe may take before its target is reported as not answering.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>RabbitMQ's management API (a user with the <c>monitoring</c> tag: it reads every vhost's queues and nothing else).</summary>
    public Uri? BrokerManagementUrl { get; set; }

    public string? BrokerUser { get; set; }

    public string? BrokerPassword { get; set; }

    /// <summary>PostgreSQL, as a role with <c>pg_monitor</c> (reads the statistics views and sizes, no table): none, not watched.</summary>
    public string? DatabaseConnectionString { get; set; }

    /// <summary>How often the collector takes samples of every source (health, broker, flow, read models).</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the data-quality counts are sampled (they read every record of a region at the registry).</summary>
    public TimeSpan QualityInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The region whose data-quality counts (and its children's) are sampled; none: the city. A region the registry finds
    /// too large to count at once (<c>quality.region-too-large</c>) is sampled through its children.
    /// </summary>
    public string? QualityRegion { get; set; }

    /// <summary>How often the desk's clearing of the day before today is sampled (an aggregate over that day's forms).</summary>
    public TimeSpan ClearingInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long samples are kept.</summary>
    public TimeSpan SampleRetention { get; set; } = TimeSpan.FromDays(35);

    /// <summary>A subject whose latest sample is older than this is unknown (its source stopped answering): three sample intervals.</summary>
    public TimeSpan StaleAfter => SampleInterval * 3;

    /// <summary>Where alerts are posted as signed webhooks (none: alerts are kept and shown, not sent).</summary>
    public Uri? NotificationUrl { get; set; }

    /// <summary>The webhook's signing secret, <c>whsec_</c> + base64 of at least 24 bytes (Standard Webhooks, as the exchange signs).</summary>
    public string? NotificationSecret { get; set; }

    /// <summary>How many times one notification is tried before it is given up (backoff doubling from a second, capped at five minutes).</summary>
    [Range(1, 100)]
    public int NotificationAttempts { get; set; } = 10;

    /// <summary>How many of the deepest queues the health answer lists.</summary>
    [Range(1, 1000)]
    public int DeepestQueues { get; set; } = 20;
}
