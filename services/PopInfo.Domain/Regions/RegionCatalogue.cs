using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace PopInfo.Domain.Regions;

/// <summary>
/// Wuxi's administrative divisions: the city, its 5 districts and 2 county-level cities, their 88
/// streets, towns and development zones (from the embedded divisions file) and the communities and
/// villages generated below them. Immutable, so one instance is safely shared by all threads.
/// </summary>
public sealed class RegionCatalogue
{
    private const string WuxiResourceName = "PopInfo.Domain.Regions.wuxi-divisions.csv";

    // Lazy's default mode (ExecutionAndPublication) loads the file exactly once even under concurrent first use.
    private static readonly Lazy<RegionCatalogue> WuxiInstance = new(LoadWuxi);

    private readonly FrozenDictionary<string, Region> _byCode;
    private readonly FrozenDictionary<string, ReadOnlyCollection<Region>> _childrenByParent;

    private RegionCatalogue(List<Region> divisions)
    {
        var cities = divisions.Where(r => r.Level == RegionLevel.City).ToList();
        if (cities.Count != 1)
        {
            throw new InvalidDataException($"The divisions file must hold exactly one city, not {cities.Count}.");
        }

        var all = new List<Region>(divisions);
        foreach (var street in divisions.Where(r => r.Level == RegionLevel.Street))
        {
            all.AddRange(CommunityGenerator.Generate(street));
        }

        var byCode = new Dictionary<string, Region>(all.Count, StringComparer.Ordinal);
        foreach (var region in all)
        {
            if (!byCode.TryAdd(region.Code, region))
            {
                throw new InvalidDataException($"Region code {region.Code} appears twice.");
            }
        }

        foreach (var region in all.Where(r => r.Level != RegionLevel.City))
        {
            CheckParent(region, byCode);
        }

        CityCode = cities[0].Code;
        All = AsReadOnly(all);
        Districts = AsReadOnly(all.Where(r => r.Level == RegionLevel.District));
        Streets = AsReadOnly(all.Where(r => r.Level == RegionLevel.Street));
        Communities = AsReadOnly(all.Where(r => r.Level == RegionLevel.Community));
        _byCode = byCode.ToFrozenDictionary(StringComparer.Ordinal);
        _childrenByParent = all
            .Where(r => r.ParentCode is not null && byCode.ContainsKey(r.ParentCode))
            .GroupBy(r => r.ParentCode!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => AsReadOnly(g), StringComparer.Ordinal);
    }

    /// <summary>Wuxi, loaded once from the embedded divisions file on first use.</summary>
    public static RegionCatalogue Wuxi => WuxiInstance.Value;

    /// <summary>The city's six-digit code, 320200 for Wuxi.</summary>
    public string CityCode { get; }

    /// <summary>Every region, ordered by level and then by code.</summary>
    public IReadOnlyList<Region> All { get; }

    /// <summary>The districts and county-level cities directly below the city.</summary>
    public IReadOnlyList<Region> Districts { get; }

    /// <summary>The township-level units: streets (街道), towns (镇) and development zones.</summary>
    public IReadOnlyList<Region> Streets { get; }

    /// <summary>The generated residents' committees (社区) and villagers' committees (村).</summary>
    public IReadOnlyList<Region> Communities { get; }

    public int CommunityCount => Communities.Count;

    /// <summary>
    /// Builds a fresh catalogue from the embedded Wuxi divisions file. Use <see cref="Wuxi"/> instead;
    /// this exists so tests can show that two independent builds are identical.
    /// </summary>
    public static RegionCatalogue LoadWuxi()
    {
        using var stream = typeof(RegionCatalogue).Assembly.GetManifestResourceStream(WuxiResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {WuxiResourceName} is missing from {typeof(RegionCatalogue).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return FromCsv(reader);
    }

    /// <summary>Builds a catalogue from a divisions file with the header <c>level,code,name,parent_code</c>.</summary>
    /// <exception cref="InvalidDataException">The file is malformed or its hierarchy is inconsistent.</exception>
    public static RegionCatalogue FromCsv(TextReader divisionsCsv)
    {
        ArgumentNullException.ThrowIfNull(divisionsCsv);
        return new RegionCatalogue(DivisionsCsv.Read(divisionsCsv));
    }

    public bool TryGet([NotNullWhen(true)] string? code, [MaybeNullWhen(false)] out Region region)
    {
        if (code is null)
        {
            region = null;
            return false;
        }

        return _byCode.TryGetValue(code, out region);
    }

    public bool Contains([NotNullWhen(true)] string? code) => code is not null && _byCode.ContainsKey(code);

    /// <summary>The regions directly below <paramref name="code"/>; empty for a community or an unknown code.</summary>
    public IReadOnlyList<Region> ChildrenOf(string code) =>
        _childrenByParent.TryGetValue(code, out var children) ? children : ReadOnlyCollection<Region>.Empty;

    /// <summary>
    /// Whether <paramref name="code"/> lies within <paramref name="ancestorCode"/> at any depth.
    /// A region is within itself; unknown codes are within nothing.
    /// </summary>
    public bool IsWithin(string code, string ancestorCode)
    {
        var current = _byCode.GetValueOrDefault(code);
        while (current is not null)
        {
            if (string.Equals(current.Code, ancestorCode, StringComparison.Ordinal))
            {
                return true;
            }

            current = current.ParentCode is null ? null : _byCode.GetValueOrDefault(current.ParentCode);
        }

        return false;
    }

    /// <summary>The district or county-level city that holds <paramref name="code"/> (a district holds itself); null for the city or an unknown code.</summary>
    public Region? DistrictOf(string code)
    {
        var current = _byCode.GetValueOrDefault(code);
        while (current is not null && current.Level > RegionLevel.District)
        {
            current = current.ParentCode is null ? null : _byCode.GetValueOrDefault(current.ParentCode);
        }

        return current?.Level == RegionLevel.District ? current : null;
    }

    // A region's parent must exist one level up, and its code must extend the parent's significant digits,
    // otherwise lookups by code prefix (which SQL queries use) would disagree with this tree.
    private static void CheckParent(Region region, Dictionary<string, Region> byCode)
    {
        if (region.ParentCode is null || !byCode.TryGetValue(region.ParentCode, out var parent))
        {
            throw new InvalidDataException($"Region {region.Code} names parent {region.ParentCode}, which is not in the file.");
        }

        if (parent.Level != region.Level - 1)
        {
            throw new InvalidDataException($"Region {region.Code} ({region.Level}) has parent {parent.Code} at level {parent.Level}.");
        }

        // A city code ends in "00"; its districts share only the first four digits.
        var prefix = parent.Level == RegionLevel.City ? parent.Code[..4] : parent.Code;
        if (!region.Code.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Region {region.Code} does not start with the digits of its parent {parent.Code}.");
        }
    }

    private static ReadOnlyCollection<Region> AsReadOnly(IEnumerable<Region> regions) => new([.. regions]);
}
