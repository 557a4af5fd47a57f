using System.ComponentModel.DataAnnotations;

namespace PopInfo.Sharing;

/// <summary>Settings of the sharing service (section <c>PopInfo:Sharing</c>).</summary>
public sealed class SharingOptions
{
    public const string Section = "PopInfo:Sharing";

    /// <summary>The most audit rows one group commit writes (a batch call of 1,000 items is one commit).</summary>
    [Range(1, 10_000)]
    public int AuditBatchRows { get; set; } = 1000;

    /// <summary>
    /// How long the audit writer waits for more rows once it has some and the batch is not full. Zero (the default): it
    /// writes what has queued at once, and rows arriving meanwhile form the next commit — under load that groups as well
    /// as a wait would, without adding the wait to every answer (ADR 0003, measured in docs/benchmarks.md).
    /// </summary>
    public TimeSpan AuditBatchWait { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long an instance keeps a grant it read (ADR 0003 decision 7): a change made through another instance takes effect
    /// within this; one made through this instance at once.
    /// </summary>
    public TimeSpan GrantsFreshFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an instance decides a department's rate limit and quota on the counts it last saw in the database before
    /// reading them again (each audit commit refreshes them): how far several instances together can pass a limit.
    /// </summary>
    public TimeSpan CountsFreshFor { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The registry's base address (its snapshot, change feed and relay status).</summary>
    public Uri RegistryUrl { get; set; } = new("http://localhost:5101/");

    /// <summary>The exchange's base address (a person's deliveries, for the access report).</summary>
    public Uri ExchangeUrl { get; set; } = new("http://localhost:5103/");

    /// <summary>
    /// Purpose codes withheld from a person's access report besides those the domain marks
    /// (<see cref="PopInfo.Domain.Sharing.Purpose.WithheldFromPerson"/>): an access under one shows as withheld — when, not by whom or why.
    /// </summary>
    public List<string> WithheldPurposes { get; set; } = [];

    /// <summary>How long the access report waits for the registry or the exchange before it reports that source as not answering.</summary>
    public TimeSpan SourceTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the read model's watermark may stand below the registry's last sequence before the change feed fills the gap.</summary>
    public TimeSpan GapWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the read model compares its watermark with the registry.</summary>
    public TimeSpan FeedCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Persons per batch while a snapshot is loaded.</summary>
    [Range(100, 100_000)]
    public int SnapshotBatch { get; set; } = 5000;
}
