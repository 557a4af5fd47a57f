using System.ComponentModel.DataAnnotations;
using PopInfo.Domain.Statistics;

namespace PopInfo.Analytics;

/// <summary>Settings of the analytics service (section <c>PopInfo:Analytics</c>).</summary>
public sealed class AnalyticsOptions
{
    public const string Section = "PopInfo:Analytics";

    /// <summary>The registry's base address (its snapshot, change feed and relay status).</summary>
    public Uri RegistryUrl { get; set; } = new("http://localhost:5101/");

    /// <summary>Counts below this are small cells: never published as such.</summary>
    [Range(1, 100)]
    public int SmallCellThreshold { get; set; } = CellKeyPerturbation.DefaultThreshold;

    /// <summary>The largest noise the cell-key method adds to a count.</summary>
    [Range(0, 50)]
    public int MaxNoise { get; set; } = CellKeyPerturbation.DefaultMaxNoise;

    /// <summary>The spread of the noise's weights.</summary>
    [Range(0.1, 50)]
    public double NoiseSigma { get; set; } = CellKeyPerturbation.DefaultSigma;

    /// <summary>
    /// The secret record keys derive from (base64, 32 bytes or more). Unset: generated at first start and kept in the
    /// service's database under its key ring. Every instance must share it, and changing it changes every published value.
    /// </summary>
    public string? CellKeySecret { get; set; }

    /// <summary>How long the watermark may stand below the registry's last sequence before the change feed fills the gap.</summary>
    public TimeSpan GapWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often this instance's index looks whether the store's watermark moved by changes another instance's consumer
    /// stored (its own consumer's wake it at once): one read of one row.
    /// </summary>
    public TimeSpan IndexPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the projection compares its watermark with the registry.</summary>
    public TimeSpan FeedCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the reconciliation runs on its own (zero: only on demand).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a reconciliation waits for the projection to reach the registry's sequence before it asks again.</summary>
    public TimeSpan ReconcileWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Versions per batch while a snapshot is loaded.</summary>
    [Range(100, 100_000)]
    public int SnapshotBatch { get; set; } = 5000;

    /// <summary>
    /// How many day views (the people counted on one day, packed: about 16 bytes a person) the index keeps, today's among
    /// them; a table for another day makes one (a second or two for the whole city) and the least recently used goes.
    /// </summary>
    [Range(1, 32)]
    public int DayViews { get; set; } = 3;

    /// <summary>The tables published without sign-in at <c>/open/v1/tables/{name}</c>: name → query string of <c>GET /api/v1/tables</c>.</summary>
    public Dictionary<string, string> OpenData { get; set; } = new(StringComparer.Ordinal)
    {
        ["population-by-district"] = "rows=district&columns=sex,residenceType",
        ["age-pyramid"] = "rows=ageBand&columns=sex",
        ["age-groups-by-district"] = "rows=district&columns=ageGroup",
    };
}
