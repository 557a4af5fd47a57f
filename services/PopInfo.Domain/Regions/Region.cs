namespace PopInfo.Domain.Regions;

/// <summary>An administrative division.</summary>
/// <param name="Code">
/// Six digits for the city and its districts (GB/T 2260), nine for streets and towns and twelve for
/// communities and villages (statistical division codes); a child's code starts with its parent's digits.
/// </param>
/// <param name="Level">How deep below the province the region lies.</param>
/// <param name="Name">The official Chinese name, e.g. 梁溪区 or 东亭街道.</param>
/// <param name="ParentCode">The enclosing division; for the city it is the province (320000), which the catalogue does not hold.</param>
public sealed record Region(string Code, RegionLevel Level, string Name, string? ParentCode);
