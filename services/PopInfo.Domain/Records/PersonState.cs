namespace PopInfo.Domain.Records;

/// <summary>
/// What the rules of a command need to know of a person's current version: status, residence type, birth date and,
/// for a migrant with details, the arrival date.
/// </summary>
public sealed record PersonState(string Status, string ResidenceType, DateOnly BirthDate, DateOnly? MigrantArrivalDate = null);

/// <summary>
/// What a command makes of a person: the status and residence type they are left with, and whether their home and
/// household in the city go (a move-out or a departure clears residence address and region, household and relationship).
/// </summary>
public sealed record StatusChange(string Status, string ResidenceType, bool LeavesHome);

/// <summary>Where a person lives after a move within the city, and where they are registered.</summary>
public sealed record Relocation(string? ResidenceAddress, string? ResidenceRegionCode, string? RegisteredAddress, string? RegisteredRegionCode);
