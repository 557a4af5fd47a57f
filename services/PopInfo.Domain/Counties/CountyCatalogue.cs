using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Text;

namespace PopInfo.Domain.Counties;

/// <summary>
/// China's prefecture- and county-level codes (GB/T 2260) since 1981 with their names and years in use, abolished
/// and changed ones included: old identity numbers carry counties that no longer exist. Loaded once from the
/// embedded copy of the areacodes data set (Counties/README.md: source, vintage, licence). Immutable, so one
/// instance is safely shared by all threads. County codes are public reference data, not personal data.
/// </summary>
public sealed class CountyCatalogue
{
    private const string ResourceName = "PopInfo.Domain.Counties.areacodes.csv";

    // Lazy's default mode (ExecutionAndPublication) loads the file exactly once even under concurrent first use.
    private static readonly Lazy<CountyCatalogue> ChinaInstance = new(LoadChina);

    private readonly FrozenDictionary<string, ReadOnlyCollection<CountyEntry>> _byCode;

    private CountyCatalogue(List<CountyEntry> entries)
    {
        Entries = new ReadOnlyCollection<CountyEntry>([.. entries.OrderBy(e => e.Code, StringComparer.Ordinal).ThenBy(LatestFirst)]);
        _byCode = Entries
            .GroupBy(e => e.Code, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => new ReadOnlyCollection<CountyEntry>([.. g.OrderBy(LatestFirst)]), StringComparer.Ordinal);
        foreach (var (code, list) in _byCode)
        {
            if (list.Count(e => e.InUse) > 1)
            {
                throw new InvalidDataException($"County code {code} has more than one entry in use.");
            }
        }
    }

    /// <summary>The national list, loaded once from the embedded file on first use.</summary>
    public static CountyCatalogue China => ChinaInstance.Value;

    /// <summary>Every entry, by code and then the one in use (or the latest) first.</summary>
    public IReadOnlyList<CountyEntry> Entries { get; }

    /// <summary>How many distinct codes the list has.</summary>
    public int CodeCount => _byCode.Count;

    /// <summary>Builds a fresh catalogue from the embedded file. Use <see cref="China"/>; this exists for tests.</summary>
    public static CountyCatalogue LoadChina()
    {
        using var stream = typeof(CountyCatalogue).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from {typeof(CountyCatalogue).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return FromCsv(reader);
    }

    /// <summary>Builds a catalogue from a file in the areacodes format (<see cref="AreaCodesCsv.ExpectedHeader"/>).</summary>
    /// <exception cref="InvalidDataException">The file is malformed, or a code has two entries in use.</exception>
    public static CountyCatalogue FromCsv(TextReader csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        return new CountyCatalogue(AreaCodesCsv.Read(csv));
    }

    /// <summary>The entries of a code: the one in use first, then the ended ones, latest first; empty for an unknown code.</summary>
    public IReadOnlyList<CountyEntry> EntriesOf(string? code) =>
        code is not null && _byCode.TryGetValue(code, out var list) ? list : ReadOnlyCollection<CountyEntry>.Empty;

    /// <summary>The entry in use under a code, if any.</summary>
    public CountyEntry? InUseOf(string? code) => EntriesOf(code).FirstOrDefault(e => e.InUse);

    /// <summary>The name to show for a code: the entry in use, else the latest that ended; null for an unknown code.</summary>
    public CountyEntry? LatestOf(string? code) => EntriesOf(code) is { Count: > 0 } entries ? entries[0] : null;

    /// <summary>
    /// Searches by code prefix (a query of digits) or by name (anything else), best match first; among equal
    /// matches entries in use come before ended ones (latest ended first), then counties before prefectures, then by code.
    /// </summary>
    /// <param name="query">Digits: a code prefix (six digits: that code). Otherwise a part of the name or of the full name (无锡市崇安).</param>
    /// <param name="limit">At most this many entries (at least 1).</param>
    public IReadOnlyList<CountyEntry> Search(string query, int limit)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var text = query.Trim();
        if (text.Length == 0)
        {
            return [];
        }

        var byCode = text.All(char.IsAsciiDigit);
        return Entries
            .Select(e => (Entry: e, Tier: byCode ? CodeTier(e, text) : NameTier(e, text)))
            .Where(m => m.Tier is not null)
            .OrderBy(m => m.Tier)
            .ThenBy(m => m.Entry.InUse ? 0 : 1)
            .ThenByDescending(m => m.Entry.ToYear ?? int.MaxValue)
            .ThenBy(m => m.Entry.Level == CountyLevel.County ? 0 : 1)
            .ThenBy(m => m.Entry.Code, StringComparer.Ordinal)
            .Take(limit)
            .Select(m => m.Entry)
            .ToList();
    }

    // 0: the code itself; 1: a code starting with the digits.
    private static int? CodeTier(CountyEntry entry, string digits) =>
        entry.Code == digits ? 0 : entry.Code.StartsWith(digits, StringComparison.Ordinal) ? 1 : null;

    // 0: the name itself; 1: a name starting with the text; 2: a name containing it; 3: the full name containing it
    // (a search for 无锡 finds 无锡市's districts too; 无锡市崇安 finds 崇安区).
    private static int? NameTier(CountyEntry entry, string text)
    {
        if (entry.Name == text)
        {
            return 0;
        }

        if (entry.Name.StartsWith(text, StringComparison.Ordinal))
        {
            return 1;
        }

        if (entry.Name.Contains(text, StringComparison.Ordinal))
        {
            return 2;
        }

        return entry.FullName.Contains(text, StringComparison.Ordinal) ? 3 : null;
    }

    // In use first, then by the year it ended, latest first.
    private static int LatestFirst(CountyEntry entry) => entry.InUse ? int.MinValue : -entry.ToYear!.Value;
}
