namespace PopInfo.Domain.Regions;

/// <summary>
/// Where a region's name comes from, so that no screen passes off a generated name as an official one.
/// </summary>
/// <remarks>
/// The city, its districts and its streets come with their official names from the divisions file (Regions/README.md).
/// No published data set names Wuxi's communities and villages, so the catalogue generates them below each street
/// (<see cref="CommunityGenerator"/>): codes in the statistical pattern, names that are the platform's own labels. The
/// register, the accounts and the desk all know communities by these codes; a city's real list replaces the generator.
/// </remarks>
public static class RegionNameSource
{
    /// <summary>The official name, from the divisions file.</summary>
    public const string Official = "official";

    /// <summary>A label the platform generated; not the community's official name.</summary>
    public const string Generated = "generated";

    /// <summary>The source of the region's name in this catalogue: communities' names are generated, all others official.</summary>
    public static string Of(Region region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return region.Level == RegionLevel.Community ? Generated : Official;
    }
}
