namespace PopInfo.Domain.Regions;

/// <summary>The administrative levels the platform works with, from the city down.</summary>
/// <remarks>The values are the depth below the province, so no value is zero: a default(RegionLevel) is a bug, not a city.</remarks>
public enum RegionLevel
{
    City = 1,
    District = 2,
    Street = 3,
    Community = 4,
}
