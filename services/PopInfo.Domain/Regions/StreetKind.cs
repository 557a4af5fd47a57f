namespace PopInfo.Domain.Regions;

/// <summary>What a township-level unit is, read from the last three digits of its nine-digit code.</summary>
internal enum StreetKind
{
    /// <summary>街道, 001–099: urban, only residents' committees.</summary>
    Subdistrict,

    /// <summary>镇 (and 乡), 100–399: a town with a few residents' committees and many villages.</summary>
    Town,

    /// <summary>4xx/5xx: development zones and parks treated as township units; urban.</summary>
    DevelopmentZone,
}
