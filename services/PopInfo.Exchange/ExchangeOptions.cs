using System.ComponentModel.DataAnnotations;

namespace PopInfo.Exchange;

/// <summary>The exchange's settings, section <c>PopInfo:Exchange</c> (env: <c>PopInfo__Exchange__AdminKey</c>...).</summary>
public sealed class ExchangeOptions
{
    public const string Section = "PopInfo:Exchange";

    /// <summary>The administrator's bearer key. Unset: one is generated on the first start into <c>{DataDirectory}/exchange-admin-key.txt</c>.</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// A key that may only ask which departments have a register change (<c>GET /api/v1/changes/{sequence}/deliveries</c>):
    /// the collection desk's, so that it can show where a form went without holding the administrator's key.
    /// </summary>
    public string? StatusKey { get; set; }

    /// <summary>The registry's base address; the exchange reads its change feed from there to fill any gap the bus leaves.</summary>
    [Required]
    public Uri RegistryUrl { get; set; } = new("http://127.0.0.1:5101/");

    /// <summary>
    /// RabbitMQ's management HTTP API, where departments' users and queues are provisioned. Unset: the
    /// bus's host on port 15672.
    /// </summary>
    public Uri? RabbitMqManagementUrl { get; set; }

    /// <summary>
    /// The provisioning credential: a RabbitMQ user with the <c>administrator</c> tag (RabbitMQ 3.10 needs it to create
    /// users), used only for the management API, never for messaging. Unset: the bus's user — only where that user is an
    /// administrator (development); with a service user of its own (<c>popinfo-exchange</c>) departments cannot be made.
    /// </summary>
    public string? RabbitMqManagementUser { get; set; }

    /// <summary>The provisioning credential's password (with <see cref="RabbitMqManagementUser"/>).</summary>
    public string? RabbitMqManagementPassword { get; set; }

    /// <summary>
    /// How long an instance remembers whether a department is active, for requests with a department's token (0: it
    /// asks the database every time). At most 30 s: another instance learns of a suspension only when this expires,
    /// and a suspended department must be refused everywhere within the minute (docs/security.md).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan DepartmentCacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Changes read from the register and projected in one transaction.</summary>
    [Range(1, 5000)]
    public int ProjectionBatch { get; set; } = 500;

    /// <summary>
    /// How many bytes of changes heard on the bus may wait in memory for the projector (their messages' sizes as
    /// received); beyond it a change is dropped and read from the registry's feed instead. 16 MiB is about 13,000
    /// changes of 1.2 KB — 13 s of lead at 1,000 changes/s.
    /// </summary>
    [Range(64 * 1024, 1024L * 1024 * 1024)]
    public long ChangeBufferBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// The most messages a department's RabbitMQ queue holds; beyond it the oldest are dropped (and dead-lettered), and
    /// the department reads them from its feed (docs/broker.md). RabbitMQ keeps this limit in the queue's arguments: a
    /// changed value needs the queue migrated again, or a policy <c>max-length</c> (the lower of the two applies).
    /// </summary>
    [Range(1_000, 100_000_000)]
    public long DepartmentQueueMaxLength { get; set; } = 1_000_000;

    [Required]
    public WebhookOptions Webhooks { get; set; } = new();
}

public sealed class WebhookOptions
{
    /// <summary>Attempts per event before it goes to the dead-letter list.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry's delay; doubling, with full jitter, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one POST may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Plain http is accepted only to a loopback address (tests, a bureau's local relay); anything else must be https.</summary>
    public bool AllowHttpToLoopback { get; set; } = true;
}
