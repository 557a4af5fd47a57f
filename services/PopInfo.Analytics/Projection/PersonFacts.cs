using PopInfo.Contracts.Registry;
using PopInfo.ServiceDefaults.Projections;

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

    /// <summary>The projection's snapshot: <see cref="RecordFields"/> of every version, history included (tables as of any date).</summary>
    public static readonly SnapshotMapping<PersonFacts> Snapshot = SnapshotMapping.Of<SnapshotRecord, PersonFacts>(RecordFields, history: true, From);

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

    /// <summary>A version line of the snapshot: no sequence (a snapshot's versions are below its own).</summary>
    public static PersonFacts From(SnapshotLine<SnapshotRecord> line) => new()
    {
        Person_Id = line.PersonId,
        Version = line.Version,
        Change_Type = line.ChangeType ?? "",
        Occurred_At = line.OccurredAt,
        Recorded_At = line.RecordedAt,
        Status = line.Record!.Status,
        Residence_Region_Code = line.Record.ResidenceRegionCode,
        Sex = line.Record.Sex,
        Birth_Date = line.Record.BirthDate,
        Residence_Type = line.Record.ResidenceType,
        Education = line.Record.Education,
        Marital_Status = line.Record.MaritalStatus,
        Ethnicity = line.Record.Ethnicity,
        Household_Id = line.Record.HouseholdId,
        Origin_Region_Code = line.Record.Migrant?.OriginRegionCode,
        Migrant_Reason = line.Record.Migrant?.Reason,
    };

    public static PersonFacts From(PersonChanged change) =>
        From(change.Person, change.Version, change.ChangeType, change.OccurredAt, change.RecordedAt, change.Sequence);

    /// <summary>A snapshot line's record: the fields of <see cref="RecordFields"/>, nothing else.</summary>
    public sealed record SnapshotRecord(
        string Sex, DateOnly BirthDate, string Ethnicity, string? MaritalStatus, string? Education, string? ResidenceRegionCode,
        string ResidenceType, MigrantDetails? Migrant, string Status, Guid? HouseholdId);
}
