using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Domain.Sharing;

namespace PopInfo.Sharing.People;

/// <summary>A row of <c>people</c>: one person at their latest version, with the whole record for the granted fields.</summary>
public sealed class PersonRow
{
    public Guid Person_Id { get; init; }
    public int Version { get; init; }
    public string Id_Number { get; init; } = "";
    public string Name { get; init; } = "";
    public string Name_Key { get; init; } = "";
    public DateOnly Birth_Date { get; init; }
    public string Sex { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Residence_Region_Code { get; init; }
    public string? Registered_Region_Code { get; init; }
    public Guid? Household_Id { get; init; }

    /// <summary>The <see cref="PersonRecord"/> as the register serialises it.</summary>
    public string Record { get; init; } = "";

    /// <summary>The change-log entry it came from; null when from a snapshot.</summary>
    public long? Sequence { get; init; }

    /// <summary>When the register recorded it (for the watermark's ledger; not stored).</summary>
    public DateTimeOffset Recorded_At { get; init; }

    public static PersonRow From(PersonRecord person, int version, long? sequence, DateTimeOffset recordedAt) => new()
    {
        Person_Id = person.PersonId,
        Version = version,
        Id_Number = person.IdNumber,
        Name = person.Name,
        Name_Key = Verification.NameKey(person.Name),
        Birth_Date = person.BirthDate,
        Sex = person.Sex,
        Status = person.Status,
        Residence_Region_Code = person.ResidenceRegionCode,
        Registered_Region_Code = person.RegisteredRegionCode,
        Household_Id = person.HouseholdId,
        Record = JsonSerializer.Serialize(person, Json.Options),
        Sequence = sequence,
        Recorded_At = recordedAt,
    };

    public static PersonRow From(PersonChanged change) => From(change.Person, change.Version, change.Sequence, change.RecordedAt);

    /// <summary>What a verification needs of the person.</summary>
    public Domain.Sharing.RegisteredPerson AsRegistered() => new(Name, Birth_Date, Sex, Status);
}
