using PopInfo.Contracts.Registry;
using PopInfo.Registry.Data;

namespace PopInfo.Registry.Apis;

/// <summary>One version of a person as the API returns it.</summary>
public sealed record PersonResponse(int Version, string ChangeType, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, PersonRecord Person)
{
    public static PersonResponse From(PersonVersion v) => new(v.Version, v.ChangeType, v.OccurredAt, v.RecordedAt, v.Record);
}
