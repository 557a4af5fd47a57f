using PopInfo.Contracts.Registry;

namespace PopInfo.Registry.Commands;

/// <summary>The answer to an applied change command.</summary>
public sealed record ChangeResult(Guid PersonId, int Version, long Sequence, string ChangeType, Guid EventId, DateTimeOffset RecordedAt, PersonRecord Person);
