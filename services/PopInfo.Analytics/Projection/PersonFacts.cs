using PopInfo.Contracts.Registry;

namespace PopInfo.Analytics.Projection;

/// <summary>
/// One version of a person, reduced to what tables are built from: no name, identity number, address or phone ever
/// reaches the analytics store. A row of <c>person_versions</c>.
/// </summary>
public sealed record PersonFacts
{
    /// <summary>The record fields the projection takes from the register (the snapshot's <c>fields</c>).</summary>
    public static readonly IReadOnlyList<string> RecordFields =
        ["sex", "birthDate", "ethnicity", "maritalStatus", "education", "residenceRegionCode", "residenceType", "migrant", "status", "householdId"];

    public Guid Person_Id { get; init; }
    public int Version { get; init; }
    public string Change_Type { get; init; } = "";
    public DateTimeOffset Occurred_At { get; init; }
    public DateTimeOffset Recorded_At { get; init; }
    public string Status { get; init; } = "";
    public string? Residence_Region_Code { get; init; }
    public string Sex { get; init; } = "";
    public DateOnly Birth_Date { get; init; }
    public string Residence_Type { get; init; } = "";
    public string? Education { get; init; }
    public string? Marital_Status { get; init; }
    public string Ethnicity { get; init; } = "";
    public Guid? Household_Id { get; init; }
    public string? Origin_Region_Code { get; init; }
    public string? Migrant_Reason { get; init; }

    /// <summary>The change-log sequence this version came from; null when it came from a snapshot.</summary>
    public long? Sequence { get; init; }

    public static PersonFacts From(PersonRecord r, int version, string changeType, DateTimeOffset occurredAt, DateTimeOffset recordedAt, long? sequence) => new()
    {
        Person_Id = r.PersonId,
        Version = version,
        Change_Type = changeType,
        Occurred_At = occurredAt,
        Recorded_At = recordedAt,
        Status = r.Status,
        Residence_Region_Code = r.ResidenceRegionCode,
        Sex = r.Sex,
        Birth_Date = r.BirthDate,
        Residence_Type = r.ResidenceType,
        Education = r.Education,
        Marital_Status = r.MaritalStatus,
        Ethnicity = r.Ethnicity,
        Household_Id = r.HouseholdId,
        Origin_Region_Code = r.Migrant?.OriginRegionCode,
        Migrant_Reason = r.Migrant?.Reason,
        Sequence = sequence,
    };

    public static PersonFacts From(PersonChanged change) =>
        From(change.Person, change.Version, change.ChangeType, change.OccurredAt, change.RecordedAt, change.Sequence);
}
