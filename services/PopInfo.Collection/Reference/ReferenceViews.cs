using PopInfo.Domain.Counties;
using PopInfo.Domain.Regions;

namespace PopInfo.Collection.Reference;

/// <summary>A region of the city as the desk's pickers show it.</summary>
/// <param name="Code">6 digits (city, district), 9 (street, town) or 12 (community, village).</param>
/// <param name="Name">The name; for a community a label the platform generated (see <paramref name="NameSource"/>).</param>
/// <param name="Level"><c>city</c>, <c>district</c>, <c>street</c> or <c>community</c>.</param>
/// <param name="ParentCode">The enclosing region; for the city its province.</param>
/// <param name="NameSource"><c>official</c> (from the divisions file) or <c>generated</c> (the platform's own label).</param>
public sealed record RegionView(string Code, string Name, string Level, string? ParentCode, string NameSource)
{
    public static RegionView Of(Region region) =>
        new(region.Code, region.Name, LevelName(region.Level), region.ParentCode, RegionNameSource.Of(region));

    private static string LevelName(RegionLevel level) => level switch
    {
        RegionLevel.City => "city",
        RegionLevel.District => "district",
        RegionLevel.Street => "street",
        RegionLevel.Community => "community",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "An unknown region level."),
    };
}

/// <summary>A region and the regions above it, from the city down to its parent.</summary>
public sealed record RegionDetail(RegionView Region, IReadOnlyList<RegionView> Chain);

/// <summary>A region and the regions directly below it, by code.</summary>
public sealed record RegionChildren(RegionView Parent, IReadOnlyList<RegionView> Children);

/// <summary>A code an ended county's area went to, with the name the list shows for it now.</summary>
/// <param name="Code">Six digits.</param>
/// <param name="Name">Its name in use, else its latest; null when the list does not know the code.</param>
/// <param name="InUse">Whether that code is in use now.</param>
/// <param name="Year">The year of the change.</param>
public sealed record CountySuccessorView(string Code, string? Name, bool InUse, int? Year);

/// <summary>One name under a county code for a span of years.</summary>
/// <param name="Code">Six digits (GB/T 2260).</param>
/// <param name="Name">The name in those years.</param>
/// <param name="FullName">With its province and prefecture: 江苏省无锡市崇安区.</param>
/// <param name="Level"><c>county</c> or <c>prefecture</c>.</param>
/// <param name="Province">The province's name.</param>
/// <param name="Prefecture">The prefecture's name while in use; null for a county directly under a province or municipality.</param>
/// <param name="Status"><c>in-use</c>, <c>abolished</c> (the code was withdrawn) or <c>changed</c> (renamed, re-coded or re-drawn).</param>
/// <param name="FromYear">The first year-end list that has it.</param>
/// <param name="ToYear">The first year-end list that no longer has it; null while in use.</param>
/// <param name="Successors">Where its area went (for an entry in use: codes that took part of its area).</param>
public sealed record CountyView(string Code, string Name, string FullName, string Level, string Province, string? Prefecture, string Status,
    int FromYear, int? ToYear, IReadOnlyList<CountySuccessorView> Successors)
{
    public static CountyView Of(CountyEntry entry, CountyCatalogue counties) => new(
        entry.Code, entry.Name, entry.FullName, entry.Level == CountyLevel.County ? "county" : "prefecture", entry.Province, entry.Prefecture,
        StatusName(entry.Status), entry.FromYear, entry.ToYear,
        [.. entry.Successors.Select(s => counties.LatestOf(s.Code) is { } now
            ? new CountySuccessorView(s.Code, now.Name, now.InUse, s.Year ?? entry.ToYear)
            : new CountySuccessorView(s.Code, null, false, s.Year ?? entry.ToYear))]);

    private static string StatusName(CountyStatus status) => status switch
    {
        CountyStatus.InUse => "in-use",
        CountyStatus.Abolished => "abolished",
        CountyStatus.Changed => "changed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "An unknown county status."),
    };
}

/// <summary>A county code with everything the list knows of it: the entry to show first, then the ended ones, latest first.</summary>
/// <param name="Code">Six digits.</param>
/// <param name="InUse">Whether the code is in use now.</param>
/// <param name="Entries">Never empty: an unknown code is a 404.</param>
public sealed record CountyCodeView(string Code, bool InUse, IReadOnlyList<CountyView> Entries);

/// <summary>The answer to a county search: the query as understood, and the entries, best match first.</summary>
/// <param name="Query">The query, trimmed.</param>
/// <param name="By"><c>code</c> (a code prefix) or <c>name</c>.</param>
/// <param name="Entries">At most the limit asked for.</param>
public sealed record CountySearchView(string Query, string By, IReadOnlyList<CountyView> Entries);
