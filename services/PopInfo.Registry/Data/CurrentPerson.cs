using PopInfo.Contracts.Registry;

namespace PopInfo.Registry.Data;

/// <summary>One stored version of a person, with when it happened and when the register recorded it.</summary>
public sealed record PersonVersion(PersonRecord Record, int Version, string ChangeType, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt);
