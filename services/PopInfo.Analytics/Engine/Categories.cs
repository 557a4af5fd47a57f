using PopInfo.Domain.Codes;
using PopInfo.Domain.Regions;

namespace PopInfo.Analytics.Engine;

/// <summary>One category of a dimension: its code (what a filter names) and its labels.</summary>
public sealed record Category(string Code, string Label, string LabelEn);

/// <summary>
/// How the index stores coded fields: as a small number per row (0 = not stated), each number one category.
/// Built once from the national code lists and the city's regions.
/// </summary>
public sealed class Categories
{
    public static readonly IReadOnlyList<string> ResidenceTypes = PopInfo.Domain.Records.ResidenceTypes.All;

    public Categories(RegionCatalogue regions)
    {
        Regions = regions;
        Communities = regions.Communities;
        var streets = regions.Streets.Select((r, i) => (r.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
        var districts = regions.Districts.Select((r, i) => (r.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
        CommunityIndex = Communities.Select((r, i) => (r.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
        StreetOfCommunity = [.. Communities.Select(c => streets[c.ParentCode!])];
        DistrictOfCommunity = [.. Communities.Select(c => districts[regions.DistrictOf(c.Code)!.Code])];
    }

    public RegionCatalogue Regions { get; }

    public IReadOnlyList<Region> Communities { get; }

    public IReadOnlyDictionary<string, int> CommunityIndex { get; }

    public int[] StreetOfCommunity { get; }

    public int[] DistrictOfCommunity { get; }

    public static CodeList Sex => NationalCodes.Sex;

    public static CodeList Education => NationalCodes.Education;

    public static CodeList MaritalStatus => NationalCodes.MaritalStatus;

    public static CodeList Ethnicity => NationalCodes.Ethnicity;

    public static CodeList Province => NationalCodes.Province;

    /// <summary>The communities (their positions) within a region.</summary>
    public int[] CommunitiesWithin(string regionCode) =>
        [.. Communities.Select((c, i) => (c, i)).Where(p => Regions.IsWithin(p.c.Code, regionCode)).Select(p => p.i)];

    /// <summary>The community a code names, or −1 (none, or not a community of the city).</summary>
    public int CommunityOf(string? code) => code is not null && CommunityIndex.TryGetValue(code, out var i) ? i : -1;

    // Each list's codes by value, made once: every version applied (15 million at a rebuild) looks up four of them.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<CodeList, Dictionary<string, byte>> Positions = new();

    /// <summary>1 + the position of a code in its list; 0 when absent or unknown.</summary>
    public static byte Coded(CodeList list, string? code) =>
        code is not null && Positions.GetOrAdd(list, l => l.Entries.Select((e, i) => (e.Code, Value: (byte)(i + 1))).ToDictionary(p => p.Code, p => p.Value, StringComparer.Ordinal))
            .TryGetValue(code, out var value) ? value : (byte)0;

    public static byte ResidenceTypeOf(string residenceType) => residenceType == PopInfo.Domain.Records.ResidenceTypes.Migrant ? (byte)2 : (byte)1;

    /// <summary>The province (1 + its position in the list) of a six-digit county code; 0 when none.</summary>
    public static byte ProvinceOf(string? countyCode) => countyCode is { Length: >= 2 } ? Coded(Province, countyCode[..2]) : (byte)0;

    public static byte ReasonOf(string? reason) => reason is null ? (byte)0 : (byte)(MigrantReasons.All.IndexOf(reason) + 1);

    public static byte ChangeTypeOf(string changeType) => (byte)(Contracts.Registry.ChangeTypes.All.IndexOf(changeType) + 1);
}

internal static class ListExtensions
{
    public static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
